from django.apps import AppConfig


class MissionsConfig(AppConfig):
    name = "reciprocity.missions"
    label = "missions"
