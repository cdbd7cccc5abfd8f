from typing import Any

from django.apps import AppConfig


class PlacementsConfig(AppConfig):
    name = "reciprocity.placements"
    label = "placements"

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from reciprocity.volunteers.models import Volunteer
        from reciprocity.volunteers.signals import personal_data_export

        # The volunteers app (below this one) asks through a signal rather than importing the
        # signatures: the layers keep pointing down (volunteers/signals.py).
        personal_data_export.connect(_export_signatures, dispatch_uid="placements_signatures_export")
        post_save.connect(_erase_signed_files, sender=Volunteer,
                          dispatch_uid="placements_signed_files_erase")


def _export_signatures(sender: Any, volunteer: Any, clear_number: bool, **kwargs: Any) -> dict:
    from reciprocity.placements.signatures import signatures_export

    return {"document_signatures": signatures_export(volunteer=volunteer)}


def _erase_signed_files(sender: Any, instance: Any, **kwargs: Any) -> None:
    """The frozen PDFs print the volunteer's name: gone with the anonymisation."""
    if getattr(instance, "anonymised_at", None) is None or kwargs.get("raw"):
        return
    from reciprocity.placements.signatures import signed_files_erase

    signed_files_erase(volunteer=instance)
