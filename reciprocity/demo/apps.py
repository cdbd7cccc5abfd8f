from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "reciprocity.demo"
    label = "demo"
