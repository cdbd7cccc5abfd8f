from typing import Any

from django.apps import AppConfig
from django.db import transaction
from django.db.models.signals import post_save
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ExchangeConfig(AppConfig):
    name = "reciprocity.exchange"
    label = "exchange"
    verbose_name = _("Exchange files")

    def ready(self) -> None:
        from reciprocity.applications.models import ApplicationStatusChange
        from reciprocity.placements.models import PlacementStatusChange
        from reciprocity.volunteers.models import Volunteer

        # Receivers rather than calls from the other apps: the anonymisation need not know
        # which apps keep copies, and the workflows need not know who listens to them. Every
        # status change already writes a history row; the row is the event.
        from reciprocity.volunteers.signals import personal_data_export

        personal_data_export.connect(_export_personal_data, dispatch_uid="exchange_export")
        post_save.connect(_erase_on_anonymisation, sender=Volunteer,
                          dispatch_uid="exchange_erase_on_anonymisation")
        post_save.connect(_application_event, sender=ApplicationStatusChange,
                          dispatch_uid="exchange_webhook_application")
        post_save.connect(_placement_event, sender=PlacementStatusChange,
                          dispatch_uid="exchange_webhook_placement")


def _erase_on_anonymisation(sender: Any, instance: Any, **kwargs: Any) -> None:
    if getattr(instance, "anonymised_at", None) is None:
        return
    from reciprocity.exchange.services import vef_records_erase

    vef_records_erase(volunteer=instance)


def _export_personal_data(sender: Any, volunteer: Any, clear_number: bool, **kwargs: Any) -> dict:
    from reciprocity.exchange.services import vef_records_export

    return {"exchange_files": vef_records_export(volunteer=volunteer, clear_number=clear_number)}


def _listened() -> bool:
    from reciprocity.exchange.models import WebhookEndpoint

    return WebhookEndpoint.objects.filter(is_active=True).exists()


def _application_event(sender: Any, instance: Any, created: bool = False, **kwargs: Any) -> None:
    if not created or kwargs.get("raw") or not _listened():
        return
    if instance.choice_id is None and instance.to_status == "submitted":
        event = "application.submitted"
    elif instance.choice_id is not None and instance.to_status in {"accepted", "refused"}:
        event = "application.decided"
    else:
        return
    application_id, choice_id = instance.application_id, instance.choice_id

    def enqueue() -> None:
        # After commit: the choices are written after the submission row, and a rolled-back
        # change (a dry run) must tell nobody. This receiver is the event's edge: it reads the
        # moment the event is told (its `occurred_at`).
        from reciprocity.applications.models import Application, ApplicationChoice
        from reciprocity.exchange.webhooks import application_payloads, webhooks_enqueue

        application = Application.objects.select_related("volunteer").filter(
            pk=application_id).first()
        if application is None:
            return
        choice = ApplicationChoice.objects.select_related("mission").filter(
            pk=choice_id).first() if choice_id else None
        webhooks_enqueue(event=event, payloads=application_payloads(application, choice=choice),
                         now=timezone.now())

    transaction.on_commit(enqueue)


PLACEMENT_EVENTS = {"proposed": "placement.proposed", "confirmed": "placement.confirmed",
                    "cancelled": "placement.cancelled"}


def _placement_event(sender: Any, instance: Any, created: bool = False, **kwargs: Any) -> None:
    if not created or kwargs.get("raw") or instance.to_status not in PLACEMENT_EVENTS:
        return
    if not _listened():
        return
    event, placement_id = PLACEMENT_EVENTS[instance.to_status], instance.placement_id

    def enqueue() -> None:
        from reciprocity.exchange.webhooks import placement_payloads, webhooks_enqueue
        from reciprocity.placements.models import Placement

        placement = Placement.objects.select_related("mission", "volunteer").filter(
            pk=placement_id).first()
        if placement is not None:
            webhooks_enqueue(event=event, payloads=placement_payloads(placement),
                             now=timezone.now())

    transaction.on_commit(enqueue)
