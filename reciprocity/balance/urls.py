from django.urls import path

from reciprocity.balance import views

app_name = "balance"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("data/<slug:name>.<str:fmt>", views.dataset_download, name="dataset"),
    path("placements/", views.placement_list, name="placements"),
    path("agreements/<int:pk>/", views.agreement_balance, name="agreement"),
    path("report/", views.annual, name="annual"),
    path("report/pdf/<str:token>/", views.annual_pdf, name="annual_pdf"),
]
