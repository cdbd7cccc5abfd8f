"""Reads of volunteers, always scoped: personal data are shown only to those who work with them."""

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Max, Q, QuerySet
from django.utils import timezone

from reciprocity.accounts.selectors import AnyUser, is_platform_staff, member_organisation_ids
from reciprocity.applications.models import Application, ApplicationStatus
from reciprocity.domain.dates import add_months
from reciprocity.placements.models import Placement, PlacementStatus
from reciprocity.volunteers.models import PersonalDataAccess, Volunteer


def volunteers_visible_to(user: AnyUser) -> QuerySet[Volunteer]:
    """Staff see everyone; a member sees the volunteers their organisations send, host or have
    received an application from; a volunteer sees their own record; nobody else sees anyone."""
    if is_platform_staff(user):
        return Volunteer.objects.all()
    if not user.is_authenticated:
        return Volunteer.objects.none()
    orgs = member_organisation_ids(user)
    visible = Q(user_id=user.pk)
    if orgs:
        placed = Placement.objects.filter(
            Q(mission__host_id__in=orgs) | Q(sending_organisation_id__in=orgs)
        ).values("volunteer_id")
        applied = Application.objects.filter(
            Q(sending_organisation_id__in=orgs) | Q(choices__mission__host_id__in=orgs)
        ).values("volunteer_id")
        visible |= (
            Q(sending_organisation_id__in=orgs) | Q(id__in=placed) | Q(id__in=applied)
        )
    return Volunteer.objects.filter(visible)


def volunteer_list(*, user: AnyUser, search: str = "") -> QuerySet[Volunteer]:
    qs = volunteers_visible_to(user).select_related("sending_organisation")
    if search:
        qs = qs.filter(
            Q(first_name__icontains=search) | Q(last_name__icontains=search)
            | Q(reference__icontains=search)
        )
    return qs.order_by("last_name", "first_name", "id")


# A placement in these statuses has not ended: the person is still in the flow.
ACTIVE_PLACEMENT_STATUSES = (
    PlacementStatus.PROPOSED, PlacementStatus.CONFIRMED, PlacementStatus.IN_MISSION,
)
# An application in these statuses still waits for someone's decision or action.
OPEN_APPLICATION_STATUSES = (
    ApplicationStatus.DRAFT, ApplicationStatus.SUBMITTED, ApplicationStatus.SHORTLISTED,
    ApplicationStatus.ACCEPTED,
)


def access_log(*, user: AnyUser, volunteer: Volunteer) -> QuerySet[PersonalDataAccess]:
    """A volunteer's access log: platform staff only (members never see who read what)."""
    if not is_platform_staff(user):
        return PersonalDataAccess.objects.none()
    return (PersonalDataAccess.objects.filter(volunteer=volunteer)
            .select_related("actor").order_by("-occurred_at", "-pk"))


@dataclass(frozen=True)
class Candidate:
    volunteer: Volunteer
    last_activity: date


def _as_day(value: date | datetime | None) -> date | None:
    if isinstance(value, datetime):
        return timezone.localdate(value) if timezone.is_aware(value) else value.date()
    return value


def anonymisation_candidates(
    *, today: date, retention_months: int, ended_before: date | None = None
) -> tuple[list[Candidate], date]:
    """Volunteers to anonymise, with the cutoff used: not yet anonymised, every placement ended
    (completed, interrupted or cancelled; someone never placed qualifies too), no open
    application, and a last activity before the cutoff. The last activity is the latest of:
    a placement's end (the day it ended, else its planned end), an application's last change
    and the account's last sign-in; the record's creation only when there is none of these (a
    bare record), so that old missions imported recently are not kept for another full period.
    Edits of the record by staff do not count: they are not the person's activity.

    An operator's read (the `volunteers anonymise` command), hence not scoped to a user.
    """
    cutoff = ended_before or add_months(today, -retention_months)
    rows = (
        Volunteer.objects.filter(anonymised_at__isnull=True)
        .exclude(placements__status__in=ACTIVE_PLACEMENT_STATUSES)
        .exclude(applications__status__in=OPEN_APPLICATION_STATUSES)
        .annotate(
            last_ended=Max("placements__ended_on"),
            last_planned_end=Max("placements__end_date"),
            last_application=Max("applications__updated_at"),
            last_login=Max("user__last_login"),
        )
        .order_by("pk")
    )
    found = []
    for volunteer in rows:
        days = [d for d in (
            _as_day(volunteer.last_ended), _as_day(volunteer.last_planned_end),
            _as_day(volunteer.last_application), _as_day(volunteer.last_login),
        ) if d is not None]
        last = max(days) if days else _as_day(volunteer.created_at)
        assert last is not None
        if last < cutoff:
            found.append(Candidate(volunteer=volunteer, last_activity=last))
    return found, cutoff
