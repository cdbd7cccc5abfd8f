"""Reads of applications, always scoped (the eligibility verdict shown when applying is the
workflow's: workflow/applying.py)."""

from datetime import datetime, timedelta

from django.db.models import F, Q, QuerySet

from reciprocity.accounts.selectors import AnyUser, is_platform_staff, member_organisation_ids
from reciprocity.applications.models import (
    Application,
    ApplicationChoice,
    ApplicationStatus,
    ChoiceStatus,
    Offer,
    OfferStatus,
)
from reciprocity.applications.permissions import sees_every_choice
from reciprocity.missions.models import Mission

OPEN_CHOICE_STATUSES = (ChoiceStatus.PENDING, ChoiceStatus.SHORTLISTED)
UNDECIDED_APPLICATION_STATUSES = (ApplicationStatus.SUBMITTED, ApplicationStatus.SHORTLISTED)


def applications_visible_to(user: AnyUser) -> QuerySet[Application]:
    """Staff see all; a volunteer sees their own; a member sees what their organisations sent,
    received on their missions, or coordinate as a programme."""
    if is_platform_staff(user):
        return Application.objects.all()
    if not user.is_authenticated:
        return Application.objects.none()
    orgs = member_organisation_ids(user)
    visible = Q(volunteer__user_id=user.pk)
    if orgs:
        received = ApplicationChoice.objects.filter(mission__host_id__in=orgs).values(
            "application_id"
        )
        visible |= (
            Q(sending_organisation_id__in=orgs) | Q(id__in=received)
            | Q(programme__coordinator_id__in=orgs)
        )
    return Application.objects.filter(visible)


def application_list(*, user: AnyUser, status: str = "", kind: str = "") -> QuerySet[Application]:
    qs = applications_visible_to(user).select_related(
        "volunteer", "sending_organisation", "programme"
    )
    if status:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("-submitted_at", "-id")


def application_choices_for(*, user: AnyUser, application: Application) -> QuerySet[ApplicationChoice]:
    """The choices of one application that the user may see (a host: only its own missions)."""
    qs = application.choices.select_related("mission", "mission__host").order_by("rank")
    if sees_every_choice(user, application):
        return qs
    return qs.filter(mission__host_id__in=member_organisation_ids(user))


def choices_visible_to(user: AnyUser) -> QuerySet[ApplicationChoice]:
    """Every choice the user may see (the API's choice endpoints resolve through this)."""
    if is_platform_staff(user):
        return ApplicationChoice.objects.all()
    if not user.is_authenticated:
        return ApplicationChoice.objects.none()
    orgs = member_organisation_ids(user)
    return ApplicationChoice.objects.filter(
        Q(application__volunteer__user_id=user.pk)
        | Q(application__sending_organisation_id__in=orgs)
        | Q(application__programme__coordinator_id__in=orgs)
        | Q(mission__host_id__in=orgs)
    )


def offers_visible_to(user: AnyUser) -> QuerySet[Offer]:
    """Offers on the choices the user may see (the volunteer's side, the host, staff)."""
    return Offer.objects.filter(choice__in=choices_visible_to(user)).select_related(
        "choice__application__volunteer", "choice__mission__host", "placement"
    )


def offers_to_answer(*, user: AnyUser) -> QuerySet[Offer]:
    """Pending offers the user answers: their own, or those of the volunteers their
    organisations send (administrators and officers), soonest deadline first."""
    if not user.is_authenticated:
        return Offer.objects.none()
    orgs = member_organisation_ids(user, writable=True)
    return (
        Offer.objects.filter(status=OfferStatus.PENDING)
        .filter(Q(choice__application__volunteer__user_id=user.pk)
                | Q(choice__application__sending_organisation_id__in=orgs))
        .select_related("choice__application__volunteer", "choice__mission__host", "placement")
        .order_by("deadline", "pk")
    )


def host_offers(*, user: AnyUser) -> QuerySet[Offer]:
    """Offers made on the missions the user's organisations host, newest first."""
    orgs = member_organisation_ids(user)
    return (
        Offer.objects.filter(choice__mission__host_id__in=orgs)
        .select_related("choice__application__volunteer", "choice__mission", "placement")
        .order_by("-created_at", "-pk")
    )


def mission_choices(*, mission: Mission) -> QuerySet[ApplicationChoice]:
    """Every choice made for one mission (the host's page of it), waiting list first in its
    order, then by submission."""
    return (
        ApplicationChoice.objects.filter(mission=mission)
        .select_related("application__volunteer", "application__sending_organisation")
        .prefetch_related("offers")
        .order_by(F("reserve_rank").asc(nulls_last=True), "application__submitted_at", "pk")
    )


def host_inbox(*, user: AnyUser) -> QuerySet[ApplicationChoice]:
    """Open choices for the missions the user's organisations host, oldest first."""
    orgs = member_organisation_ids(user)
    return (
        ApplicationChoice.objects.filter(
            mission__host_id__in=orgs, status__in=OPEN_CHOICE_STATUSES,
            application__status__in=UNDECIDED_APPLICATION_STATUSES,
        )
        .select_related("application", "application__volunteer", "mission")
        .order_by("application__submitted_at", "id")
    )


def choices_overdue(*, now: datetime, days: int) -> QuerySet[ApplicationChoice]:
    """Open choices of applications submitted more than `days` days before `now` (nobody waits
    unanswered); the edge reads the clock."""
    cutoff = now - timedelta(days=days)
    return ApplicationChoice.objects.filter(
        status__in=OPEN_CHOICE_STATUSES,
        application__status__in=UNDECIDED_APPLICATION_STATUSES,
        application__submitted_at__lte=cutoff,
    ).select_related("application", "application__volunteer", "mission", "mission__host")


def overdue_for(*, user: AnyUser, days: int, now: datetime) -> QuerySet[ApplicationChoice]:
    """The overdue choices the user may see at `now`: the host's to decide, the sender's to chase."""
    return choices_overdue(days=days, now=now).filter(pk__in=choices_visible_to(user).values("pk"))


def choices_awaiting_decision(*, user: AnyUser) -> QuerySet[ApplicationChoice]:
    """Open choices of undecided applications that the user may see: the host's to decide, the
    sender's and the coordinator's to follow, every one for staff. `overdue_for` is the part of
    it waiting for too long, so a page that shows both never shows more late than waiting."""
    return ApplicationChoice.objects.filter(
        status__in=OPEN_CHOICE_STATUSES, application__status__in=UNDECIDED_APPLICATION_STATUSES,
        pk__in=choices_visible_to(user).values("pk"),
    )
