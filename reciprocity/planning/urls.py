from django.urls import path

from reciprocity.planning import views

app_name = "planning"
urlpatterns = [
    path("", views.scenario_index, name="list"),
    path("compare/", views.scenario_compare, name="compare"),
    path("<int:pk>/", views.scenario_detail, name="detail"),
    path("<int:pk>/apply/", views.scenario_apply, name="apply"),
]
