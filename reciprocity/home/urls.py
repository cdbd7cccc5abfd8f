from django.urls import path

from reciprocity.home import bulk_views, views

app_name = "home"
urlpatterns = [
    path("", views.home, name="home"),
    # Bulk decisions from the applications page's inbox (bulk_views.py).
    path("decisions/bulk/", bulk_views.choices_bulk_decide, name="bulk_decide"),
]
