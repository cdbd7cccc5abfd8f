from django.urls import path

from reciprocity.exchange import views

app_name = "exchange"
urlpatterns = [
    path("import/", views.import_files, name="import"),
    path("organisations/<int:organisation_id>/<str:kind>.xml", views.export_organisation,
         name="export_organisation"),
    path("organisations/<int:organisation_id>/code/", views.exchange_code, name="code"),
    path("organisations/<int:organisation_id>/webhooks/", views.webhooks, name="webhooks"),
    path("applications/<int:application_id>/vef.xml", views.export_application,
         name="export_application"),
]
