from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "reciprocity.core"
    label = "core"
