from typing import Any

from django.apps import AppConfig


class PlacementsConfig(AppConfig):
    name = "reciprocity.placements"
    label = "placements"

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from reciprocity.missions.places import (
            mission_places_taken,
            mission_places_taken_expression,
        )
        from reciprocity.volunteers.models import Volunteer
        from reciprocity.volunteers.signals import (
            personal_data_export,
            volunteer_documents_hosted_by,
            volunteers_related_to_organisations,
        )

        # The volunteers app (below this one) asks through a signal rather than importing the
        # signatures: the layers keep pointing down (volunteers/signals.py).
        personal_data_export.connect(_export_signatures, dispatch_uid="placements_signatures_export")
        post_save.connect(_erase_signed_files, sender=Volunteer,
                          dispatch_uid="placements_signed_files_erase")
        # Who works with a volunteer (volunteers_visible_to, documents.can_download).
        volunteers_related_to_organisations.connect(
            _volunteers_placed, dispatch_uid="placements_volunteers_related")
        volunteer_documents_hosted_by.connect(
            _host_holds_a_placement, dispatch_uid="placements_documents_hosted_by")
        # Places taken in a mission (missions/places.py): missions, below, ask this app.
        mission_places_taken.connect(_places_taken, dispatch_uid="placements_places_taken")
        mission_places_taken_expression.connect(
            _places_taken_subquery, dispatch_uid="placements_places_taken_expression")
        # A mission page's cached public part shows its places left (missions/page_cache.py).
        from django.db.models.signals import post_delete

        from reciprocity.placements.models import Placement

        post_save.connect(_mission_page, sender=Placement, dispatch_uid="placements_mission_page")
        post_delete.connect(_mission_page, sender=Placement,
                            dispatch_uid="placements_mission_page_delete")


def _mission_page(sender: Any, instance: Any, **kwargs: Any) -> None:
    from reciprocity.missions.page_cache import mission_changed

    mission_changed(instance.mission_id)


def _export_signatures(sender: Any, volunteer: Any, clear_number: bool, **kwargs: Any) -> dict:
    from reciprocity.placements.signatures import signatures_export

    return {"document_signatures": signatures_export(volunteer=volunteer)}


def _erase_signed_files(sender: Any, instance: Any, **kwargs: Any) -> None:
    """The frozen PDFs print the volunteer's name: gone with the anonymisation."""
    if getattr(instance, "anonymised_at", None) is None or kwargs.get("raw"):
        return
    from reciprocity.placements.signatures import signed_files_erase

    signed_files_erase(volunteer=instance)


def _places_taken(sender: Any, mission_id: int, **kwargs: Any) -> int:
    from reciprocity.placements.selectors import places_taken

    return places_taken(mission_id=mission_id)


def _places_taken_subquery(sender: Any, **kwargs: Any) -> Any:
    from reciprocity.placements.selectors import places_taken_subquery

    return places_taken_subquery()


def _volunteers_placed(sender: Any, organisation_ids: Any, **kwargs: Any) -> Any:
    """Volunteers placed with, or sent by, one of the organisations (any placement status)."""
    from django.db.models import Q

    from reciprocity.placements.models import Placement

    placed = Placement.objects.filter(
        Q(mission__host_id__in=organisation_ids) | Q(sending_organisation_id__in=organisation_ids)
    ).values("volunteer_id")
    return Q(id__in=placed)


def _host_holds_a_placement(sender: Any, volunteer: Any, organisation_ids: Any, **kwargs: Any) -> bool:
    """A host holding a placement of the volunteer that is not cancelled may read their documents."""
    from django.db.models import Q

    from reciprocity.placements.models import Placement, PlacementStatus

    return Placement.objects.filter(
        Q(volunteer=volunteer, mission__host_id__in=organisation_ids)
        & ~Q(status=PlacementStatus.CANCELLED)
    ).exists()
