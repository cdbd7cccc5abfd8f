"""The volunteer page's personal-data actions, served by the root urls.py under the
`volunteers` namespace after volunteers' own patterns (workflow/personal_data_views.py)."""

from django.urls import path

from reciprocity.workflow import personal_data_views

urlpatterns = [
    path("<int:pk>/export/", personal_data_views.volunteer_export_download, name="export"),
    path("<int:pk>/anonymise/", personal_data_views.volunteer_anonymise, name="anonymise"),
]
