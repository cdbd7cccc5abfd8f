from django.apps import AppConfig


class AgreementsConfig(AppConfig):
    name = "reciprocity.agreements"
    label = "agreements"
