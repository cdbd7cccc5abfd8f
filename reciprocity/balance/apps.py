from django.apps import AppConfig


class BalanceConfig(AppConfig):
    name = "reciprocity.balance"
    label = "balance"
