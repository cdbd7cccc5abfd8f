from django.urls import path

from reciprocity.volunteers import views

app_name = "volunteers"
urlpatterns = [
    path("", views.volunteer_index, name="list"),
    path("<int:pk>/", views.volunteer_detail, name="detail"),
]
