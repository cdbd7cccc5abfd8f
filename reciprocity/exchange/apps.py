from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _


class ExchangeConfig(AppConfig):
    name = "reciprocity.exchange"
    label = "exchange"
    verbose_name = _("Exchange files")

    def ready(self) -> None:
        from reciprocity.volunteers.models import Volunteer

        # The VEF records (addresses, emergency contact, passport details) go with the rest of
        # the identity when a volunteer is anonymised. A receiver rather than a call from the
        # volunteers app: the anonymisation need not know which apps keep copies.
        post_save.connect(_erase_on_anonymisation, sender=Volunteer,
                          dispatch_uid="exchange_erase_on_anonymisation")


def _erase_on_anonymisation(sender: Any, instance: Any, **kwargs: Any) -> None:
    if getattr(instance, "anonymised_at", None) is None:
        return
    from reciprocity.exchange.services import vef_records_erase

    vef_records_erase(volunteer=instance)
