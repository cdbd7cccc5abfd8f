from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "reciprocity.accounts"
    label = "accounts"
