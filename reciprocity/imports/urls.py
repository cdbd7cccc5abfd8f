from django.urls import path

from reciprocity.imports import views

app_name = "imports"
urlpatterns = [
    path("", views.index, name="index"),
    path("<int:batch_id>/", views.batch, name="batch"),
    path("<int:batch_id>/file", views.batch_file, name="batch_file"),
    path("<str:kind>/", views.upload, name="upload"),
    path("<str:kind>/confirm", views.confirm, name="confirm"),
]
