from django.urls import path

from reciprocity.placements import signature_views, views

# The page's actions (`placements:action`, confirm, start, ... and the tutor, evaluation and
# follow-up) are the workflow's (workflow/placement_urls.py); the root urls.py serves both lists
# under this app_name, this one first.
app_name = "placements"
urlpatterns = [
    path("", views.placement_index, name="list"),
    path("<int:pk>/", views.placement_detail, name="detail"),
    path("<int:pk>/documents/<slug:kind>.pdf", views.placement_document, name="document"),
    path("<int:pk>/documents/<slug:kind>/sign/", signature_views.document_sign,
         name="document-sign"),
    path("<int:pk>/documents/versions/<int:version_id>.pdf", signature_views.signed_version,
         name="signed-version"),
]
