from django.apps import AppConfig


class SchemesConfig(AppConfig):
    name = "reciprocity.schemes"
    label = "schemes"
