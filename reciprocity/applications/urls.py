from django.urls import path

from reciprocity.applications import views

app_name = "applications"
urlpatterns = [
    path("", views.application_index, name="list"),
    path("new/", views.application_create, name="create"),
    path("nominate/", views.application_nominate, name="nominate"),
    path("<int:pk>/", views.application_detail, name="detail"),
    path("<int:pk>/withdraw/", views.application_withdraw, name="withdraw"),
    path(
        "choices/<int:pk>/<str:action>/", views.choice_decide, name="decide"
    ),
]
