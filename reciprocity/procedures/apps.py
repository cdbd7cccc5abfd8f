from django.apps import AppConfig


class ProceduresConfig(AppConfig):
    name = "reciprocity.procedures"
    label = "procedures"
