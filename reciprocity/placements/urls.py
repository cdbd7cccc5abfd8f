from django.urls import path

from reciprocity.placements import views

app_name = "placements"
urlpatterns = [
    path("", views.placement_index, name="list"),
    path("<int:pk>/", views.placement_detail, name="detail"),
    path("<int:pk>/documents/<slug:kind>.pdf", views.placement_document, name="document"),
    path("<int:pk>/<slug:action>/", views.placement_action, name="action"),
]
