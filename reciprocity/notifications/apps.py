from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "reciprocity.notifications"
    label = "notifications"
