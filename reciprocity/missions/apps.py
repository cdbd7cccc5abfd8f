from typing import Any

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
        # The mission page's cached public part (missions/page_cache.py): its mission, and what
        # every mission page shows of the rows around it (placements bump theirs: placements/apps.py).
        from reciprocity.agreements.models import Programme
        from reciprocity.partners.models import Organisation
        from reciprocity.schemes.models import Scheme, SchemeSuspension

        for name, signal in (("save", post_save), ("delete", post_delete)):
            signal.connect(_mission_page, sender=Mission, dispatch_uid=f"mission-page-{name}")
            for model in (Organisation, Scheme, SchemeSuspension, Programme):
                signal.connect(_every_mission_page, sender=model,
                               dispatch_uid=f"mission-page-{model._meta.label_lower}-{name}")
            # The catalogue names hosts, schemes and programmes, and its pickers list the last two.
            for model in (Organisation, Scheme, Programme):
                signal.connect(_bump, sender=model,
                               dispatch_uid=f"catalogue-cache-{model._meta.label_lower}-{name}")


def _bump(**kwargs: object) -> None:
    from reciprocity.missions.caching import bump_on_commit

    bump_on_commit()


def _mission_page(instance: Any, **kwargs: object) -> None:
    from reciprocity.missions.page_cache import mission_changed

    mission_changed(instance.pk)


def _every_mission_page(**kwargs: object) -> None:
    from reciprocity.missions.page_cache import everything_changed

    everything_changed()
