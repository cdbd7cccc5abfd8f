from typing import Any

from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    name = "reciprocity.applications"
    label = "applications"

    def ready(self) -> None:
        from reciprocity.volunteers.signals import (
            volunteer_documents_hosted_by,
            volunteers_related_to_organisations,
        )

        # The volunteers app (below this one) asks who works with a volunteer through a signal
        # rather than importing applications: the layers keep pointing down (ADR 0005).
        volunteers_related_to_organisations.connect(
            _volunteers_applied, dispatch_uid="applications_volunteers_related")
        volunteer_documents_hosted_by.connect(
            _host_accepted_a_choice, dispatch_uid="applications_documents_hosted_by")


def _volunteers_applied(sender: Any, organisation_ids: Any, **kwargs: Any) -> Any:
    """Volunteers who applied through one of the organisations or to one of their missions."""
    from django.db.models import Q

    from reciprocity.applications.models import Application

    applied = Application.objects.filter(
        Q(sending_organisation_id__in=organisation_ids)
        | Q(choices__mission__host_id__in=organisation_ids)
    ).values("volunteer_id")
    return Q(id__in=applied)


def _host_accepted_a_choice(sender: Any, volunteer: Any, organisation_ids: Any, **kwargs: Any) -> bool:
    """A host that accepted one of the volunteer's choices may read their documents."""
    from reciprocity.applications.models import ApplicationChoice, ChoiceStatus

    return ApplicationChoice.objects.filter(
        application__volunteer=volunteer, status=ChoiceStatus.ACCEPTED,
        mission__host_id__in=organisation_ids,
    ).exists()
