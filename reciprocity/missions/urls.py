from django.urls import path

from reciprocity.missions import views

app_name = "missions"
urlpatterns = [
    path("", views.mission_index, name="list"),
    path("map/", views.mission_map, name="map"),
    path("mine/", views.mission_mine, name="mine"),
    path("new/", views.mission_create, name="create"),
    path("<int:pk>/", views.mission_detail, name="detail"),
    path("<int:pk>/photo/", views.mission_photo, name="photo"),
    path("<int:pk>/edit/", views.mission_edit, name="edit"),
    path("<int:pk>/publish/", views.mission_publish, name="publish"),
    path("<int:pk>/close/", views.mission_close, name="close"),
    path("<int:pk>/cancel/", views.mission_cancel, name="cancel"),
    path("<int:pk>/duplicate/", views.mission_duplicate, name="duplicate"),
]
