from django.apps import AppConfig


class MatchingConfig(AppConfig):
    name = "reciprocity.matching"
    label = "matching"
