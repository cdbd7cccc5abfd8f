from django.apps import AppConfig


class PartnersConfig(AppConfig):
    name = "reciprocity.partners"
    label = "partners"
