from django.apps import AppConfig


class HomeConfig(AppConfig):
    name = "reciprocity.home"
    label = "home"
