from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _


class ConversationsConfig(AppConfig):
    name = "reciprocity.conversations"
    label = "conversations"
    verbose_name = _("Conversations")

    def ready(self) -> None:
        from reciprocity.applications.models import ApplicationStatusChange
        from reciprocity.placements.models import PlacementStatusChange
        from reciprocity.volunteers.models import Volunteer
        from reciprocity.volunteers.signals import personal_data_export

        # Receivers, as exchange/apps.py does: every status change already writes a history row
        # (the row is the event), so the workflows need not know that conversations exist, and
        # the anonymisation need not know which apps keep messages about a volunteer.
        personal_data_export.connect(_export_personal_data, dispatch_uid="conversations_export")
        post_save.connect(_erase_on_anonymisation, sender=Volunteer,
                          dispatch_uid="conversations_erase_on_anonymisation")
        post_save.connect(_application_event, sender=ApplicationStatusChange,
                          dispatch_uid="conversations_application_event")
        post_save.connect(_placement_event, sender=PlacementStatusChange,
                          dispatch_uid="conversations_placement_event")


def _erase_on_anonymisation(sender: Any, instance: Any, **kwargs: Any) -> None:
    if getattr(instance, "anonymised_at", None) is None or kwargs.get("raw"):
        return
    from reciprocity.conversations.services import conversations_erase_for_volunteer

    conversations_erase_for_volunteer(volunteer_id=instance.pk, now=instance.anonymised_at)


def _export_personal_data(sender: Any, volunteer: Any, **kwargs: Any) -> dict:
    from reciprocity.conversations.services import conversations_export_for_volunteer

    return {"conversations": conversations_export_for_volunteer(volunteer_id=volunteer.pk)}


# Placement status -> the event shown in its thread.
PLACEMENT_EVENTS = {"confirmed": "confirmed", "cancelled": "cancelled"}


def _placement_event(sender: Any, instance: Any, created: bool = False, **kwargs: Any) -> None:
    if not created or kwargs.get("raw") or instance.to_status not in PLACEMENT_EVENTS:
        return
    from reciprocity.conversations.services import thread_event_add, thread_for_placement

    # In the same transaction as the change: a rolled-back change (a dry run) leaves no event.
    thread = thread_for_placement(placement=instance.placement)
    thread_event_add(thread=thread, event=PLACEMENT_EVENTS[instance.to_status],
                     key=f"placement-change:{instance.pk}", detail=instance.reason[:200])


def _application_event(sender: Any, instance: Any, created: bool = False, **kwargs: Any) -> None:
    if not created or kwargs.get("raw"):
        return
    from reciprocity.conversations.models import Thread
    from reciprocity.conversations.services import thread_event_add, thread_for_application

    key = f"application-change:{instance.pk}"
    if instance.choice_id is not None and instance.to_status == "accepted":
        choice = instance.choice
        thread = thread_for_application(application=instance.application,
                                        host_id=choice.mission.host_id)
        thread_event_add(thread=thread, event="accepted", key=key, detail=choice.mission.title)
    elif instance.choice_id is None and instance.to_status == "withdrawn":
        # Only the threads already open: a host nobody talked to learns it from its list.
        for thread in Thread.objects.filter(application_id=instance.application_id):
            thread_event_add(thread=thread, event="withdrawn", key=key, detail=instance.reason[:200])
