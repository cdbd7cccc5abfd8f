from django.urls import path

from reciprocity.agreements import edit_views, views

app_name = "agreements"
urlpatterns = [
    path("", views.agreement_index, name="list"),
    path("<int:pk>/", views.agreement_detail, name="detail"),
    # Running the network in pages (docs/accounts.md); services in agreements/services.py.
    path("new/", edit_views.agreement_new, name="new"),
    path("<int:pk>/edit/", edit_views.agreement_edit, name="edit"),
    path("programmes/", edit_views.programme_index, name="programmes"),
    path("programmes/new/", edit_views.programme_new, name="programme_new"),
    path("programmes/<int:pk>/edit/", edit_views.programme_edit, name="programme_edit"),
]
