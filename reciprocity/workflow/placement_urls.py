"""The `placements` namespace's route that drives workflow use-cases (placement_views.py).

No app_name: the root urls.py appends it to placements/urls.py's patterns under the
`placements` namespace, last as before (`placements:action`, `<pk>/<action>/`)."""

from django.urls import path

from reciprocity.workflow import placement_views as views

urlpatterns = [
    path("<int:pk>/<slug:action>/", views.placement_action, name="action"),
]
