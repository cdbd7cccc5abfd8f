from django.urls import path

from reciprocity.volunteers import views

app_name = "volunteers"
urlpatterns = [
    path("", views.volunteer_index, name="list"),
    path("<int:pk>/", views.volunteer_detail, name="detail"),
    path("<int:pk>/export/", views.volunteer_export_download, name="export"),
    path("<int:pk>/access-log/", views.volunteer_access_log, name="access_log"),
    path("<int:pk>/anonymise/", views.volunteer_anonymise, name="anonymise"),
]
