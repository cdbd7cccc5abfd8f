from django.urls import path

from reciprocity.matching import views

app_name = "matching"
urlpatterns = [
    path("", views.run_index, name="list"),
    path("new/", views.run_new, name="create"),
    path("compare/", views.run_compare, name="compare"),
    path("<int:pk>/", views.run_detail, name="detail"),
    path("<int:pk>/accept/", views.run_accept, name="accept"),
    path("<int:pk>/reject/", views.run_reject, name="reject"),
    path("<int:pk>/cancel/", views.run_cancel, name="cancel"),
]
