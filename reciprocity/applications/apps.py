from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    name = "reciprocity.applications"
    label = "applications"
