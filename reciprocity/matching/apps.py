from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_save


class MatchingConfig(AppConfig):
    name = "reciprocity.matching"
    label = "matching"

    def ready(self) -> None:
        from reciprocity.placements.models import PlacementStatusChange

        # A receiver, as conversations/ and exchange/ do: every placement move writes a history
        # row (the row is the event), so placements, below, need not know that binômes exist.
        post_save.connect(_placement_moved, sender=PlacementStatusChange,
                          dispatch_uid="matching_pairs_dissolve_on_placement_end")


def _placement_moved(sender: Any, instance: Any, created: bool = False, **kwargs: Any) -> None:
    if not created or kwargs.get("raw"):
        return
    from reciprocity.matching.pairing_services import ENDING_CAUSES, pairs_dissolve_for_placement

    if instance.to_status not in ENDING_CAUSES:
        return
    # In the same transaction as the move, not after commit: a cancelled or interrupted
    # placement is never seen with a partner, and a rolled-back move keeps its pair.
    pairs_dissolve_for_placement(
        placement_id=instance.placement_id, status=instance.to_status,
        actor=instance.changed_by, reason=instance.reason, now=instance.changed_at,
    )
