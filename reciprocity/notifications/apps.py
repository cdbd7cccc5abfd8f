from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "reciprocity.notifications"
    label = "notifications"

    def ready(self) -> None:
        from reciprocity.accounts.signals import account_security_event
        from reciprocity.notifications.receivers import notify_account_security_event

        # Password and second-factor changes (accounts) told to their owner, in the app and by
        # e-mail: accounts sends the event, being the lower layer.
        account_security_event.connect(
            notify_account_security_event, dispatch_uid="notifications_account_security"
        )
