from django.urls import path

from reciprocity.partners import views

app_name = "partners"
urlpatterns = [
    path("", views.organisation_index, name="list"),
    path("<int:pk>/", views.organisation_detail, name="detail"),
]
