from django.apps import AppConfig


class VolunteersConfig(AppConfig):
    name = "reciprocity.volunteers"
    label = "volunteers"
