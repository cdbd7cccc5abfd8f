from django.urls import path

from reciprocity.accounts import invitation_views
from reciprocity.partners import views

app_name = "partners"
urlpatterns = [
    path("", views.organisation_index, name="list"),
    path("<int:pk>/", views.organisation_detail, name="detail"),
    # Members and invitations (docs/accounts.md); services in accounts/membership.py.
    path("<int:pk>/members/", invitation_views.members, name="members"),
    path("<int:pk>/members/<int:membership_id>/role/", invitation_views.member_role,
         name="member_role"),
    path("<int:pk>/members/<int:membership_id>/remove/", invitation_views.member_remove,
         name="member_remove"),
    path("<int:pk>/invitations/<int:invitation_id>/revoke/", invitation_views.invitation_revoke,
         name="invitation_revoke"),
]
