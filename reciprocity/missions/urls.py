from django.urls import path

from reciprocity.missions import views

app_name = "missions"
urlpatterns = [
    path("", views.mission_index, name="list"),
    path("<int:pk>/", views.mission_detail, name="detail"),
]
