from django.urls import include, path

from reciprocity.procedures import bulk_views, calendar_views, views, visa_views

app_name = "procedures"
urlpatterns = [
    path("due/", views.procedure_due, name="due"),
    path("<int:pk>/", views.procedure_detail, name="detail"),
    path("<int:pk>/recompute/", views.procedure_recompute, name="recompute"),
    path("<int:pk>/documents/", views.document_upload, name="document_upload"),
    path("documents/<int:pk>/", views.document_download, name="document_download"),
    path("steps/<int:pk>/advance/", views.step_advance, name="step_advance"),
    path("steps/<int:pk>/visa/", visa_views.visa_outcome_edit, name="visa_outcome"),
    path("steps/bulk/", bulk_views.steps_bulk_advance, name="steps_bulk"),
    path("steps/bulk/assign/", bulk_views.steps_bulk_assign, name="steps_bulk_assign"),
    # Calendars (docs/exports-and-calendars.md): the private feed opens by its secret alone.
    path("calendar/<str:token>.ics", calendar_views.calendar_feed, name="calendar_feed"),
    path("placements/<int:pk>.ics", calendar_views.placement_ics, name="placement_ics"),
    path("rules/", include("reciprocity.procedures.rules_urls")),
]
