from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "reciprocity.core"
    label = "core"

    def ready(self) -> None:
        # Celery tasks log with the id of the request that queued them (core/logs.py).
        from reciprocity.core.logs import connect_celery_signals

        connect_celery_signals()
