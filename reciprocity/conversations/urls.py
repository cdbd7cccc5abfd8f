from django.urls import path

from reciprocity.conversations import views

app_name = "conversations"
urlpatterns = [
    path("", views.thread_index, name="list"),
    path("<int:pk>/", views.thread_detail, name="thread"),
    path("placements/<int:pk>/", views.placement_thread, name="placement"),
    path("applications/<int:pk>/<int:host_id>/", views.application_thread, name="application"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment"),
]
