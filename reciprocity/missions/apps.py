from django.apps import AppConfig


class MissionsConfig(AppConfig):
    name = "reciprocity.missions"
    label = "missions"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from reciprocity.missions.models import Mission

        # The catalogue's cached results (missions/caching.py) follow every saved or deleted
        # mission, whoever writes it (services, admin, imports).
        post_save.connect(_bump, sender=Mission, dispatch_uid="catalogue-cache-save")
        post_delete.connect(_bump, sender=Mission, dispatch_uid="catalogue-cache-delete")


def _bump(**kwargs: object) -> None:
    from reciprocity.missions.caching import bump_on_commit

    bump_on_commit()
