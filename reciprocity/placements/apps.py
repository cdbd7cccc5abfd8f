from django.apps import AppConfig


class PlacementsConfig(AppConfig):
    name = "reciprocity.placements"
    label = "placements"
