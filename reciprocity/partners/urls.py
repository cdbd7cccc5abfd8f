from django.urls import path

from reciprocity.partners import invitation_views, network_views, views

app_name = "partners"
urlpatterns = [
    path("", views.organisation_index, name="list"),
    path("<int:pk>/", views.organisation_detail, name="detail"),
    # Running the network in pages (docs/accounts.md); services in partners/services.py.
    path("new/", network_views.organisation_new, name="new"),
    path("<int:pk>/edit/", network_views.organisation_edit, name="edit"),
    path("<int:pk>/accreditations/new/", network_views.accreditation_new,
         name="accreditation_new"),
    path("<int:pk>/accreditations/<int:accreditation_id>/edit/", network_views.accreditation_edit,
         name="accreditation_edit"),
    path("<int:pk>/affiliations/new/", network_views.affiliation_new, name="affiliation_new"),
    path("<int:pk>/affiliations/<int:affiliation_id>/edit/", network_views.affiliation_edit,
         name="affiliation_edit"),
    path("<int:pk>/affiliations/<int:affiliation_id>/end/", network_views.affiliation_end,
         name="affiliation_end"),
    # Members and invitations (docs/accounts.md); services in partners/membership.py.
    path("<int:pk>/members/", invitation_views.members, name="members"),
    path("<int:pk>/members/<int:membership_id>/role/", invitation_views.member_role,
         name="member_role"),
    path("<int:pk>/members/<int:membership_id>/remove/", invitation_views.member_remove,
         name="member_remove"),
    path("<int:pk>/invitations/<int:invitation_id>/revoke/", invitation_views.invitation_revoke,
         name="invitation_revoke"),
]
