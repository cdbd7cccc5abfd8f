"""Reads of placements, always scoped to the organisations that send or host the volunteer."""

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Count, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.db.models.lookups import In
from django.db.models.sql.compiler import SQLCompiler

from reciprocity.accounts.selectors import AnyUser, is_platform_staff, member_organisation_ids
from reciprocity.agreements.models import Agreement
from reciprocity.domain.dates import add_months, months_between
from reciprocity.missions.models import Mission
from reciprocity.placements.models import (
    HOLDING_STATUSES,
    PairingMember,
    Placement,
    PlacementStatus,
    PlacementStatusChange,
)
from reciprocity.volunteers.models import Volunteer

FOLLOW_UP_AFTER_MONTHS = 6


@dataclass(frozen=True)
class Partner:
    """The other placement of a placement's binôme, as `user` may see it: `placement` is None
    when the user may not see the other placement (then only the fact of the pairing shows)."""

    pairing_id: int
    placement: Placement | None


def follow_up_cutoff(today: date) -> date:
    """The latest last day whose follow-up is due by `today`: on a month's last day, the
    clamped month ends are due too (31 August + 6 months = 28/29 February)."""
    cutoff = add_months(today, -FOLLOW_UP_AFTER_MONTHS)
    if today.day == calendar.monthrange(today.year, today.month)[1]:
        cutoff = cutoff.replace(day=calendar.monthrange(cutoff.year, cutoff.month)[1])
    return cutoff


def follow_up_due_on(placement: Placement) -> date:
    return add_months(placement.ended_on or placement.end_date, FOLLOW_UP_AFTER_MONTHS)


class _AnyOf(In):
    """`column IN (subquery)`, written `column = ANY(ARRAY(subquery))` on PostgreSQL: the
    subquery then runs once and its ids become an array PostgreSQL can look up in the column's
    index, so an OR of such conditions is one bitmap of index scans. `IN (subquery)` in an OR
    is a filter tried on every row of the table instead (a sequential scan)."""

    def as_postgresql(self, compiler: SQLCompiler, connection: BaseDatabaseWrapper) -> Any:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} = ANY(ARRAY{rhs})", (*lhs_params, *rhs_params)


def placements_visible_to(user: AnyUser) -> QuerySet[Placement]:
    """The placements of the volunteers the user's organisations send or host, and the user's
    own as a volunteer. Each condition is on a column of the placement itself (not on the
    joined volunteer and mission): PostgreSQL then finds them through the placement's indexes
    instead of joining every placement to its volunteer and mission first (on 370,000
    placements, 160 ms for an officer who sees 6,000 of them, now 15; bench/load/README.md)."""
    if is_platform_staff(user):
        return Placement.objects.all()
    if not user.is_authenticated:
        return Placement.objects.none()
    orgs = member_organisation_ids(user)
    own = Volunteer.objects.filter(user_id=user.pk).values("pk")
    hosted = Mission.objects.filter(host_id__in=orgs).values("pk")
    return Placement.objects.filter(
        Q(sending_organisation_id__in=orgs)
        | Q(_AnyOf(F("volunteer_id"), own))
        | Q(_AnyOf(F("mission_id"), hosted))
    )


def placement_list(*, user: AnyUser, status: str = "") -> QuerySet[Placement]:
    """The user's placements, newest first. Callers prefetch the related rows they show (one
    query each for a page's rows) rather than join them: joined, PostgreSQL sorts every
    visible placement before it stops at the page (a LIMIT does not reach a sort under a
    join); alone, the sort keeps only the page's rows (bench/load/README.md). No index on
    (start_date, id) on purpose: walking it, PostgreSQL would test each row against the array
    of the organisations' missions one element at a time (6 s at offset 50,000 for the bench
    coordinator, who hosts 14,578 missions), and it cannot know the array's length to avoid it."""
    qs = placements_visible_to(user)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-start_date", "-id")


def placement_history(*, placement: Placement) -> QuerySet[PlacementStatusChange]:
    return placement.history.select_related("changed_by").order_by("changed_at", "id")


def _last_day() -> Coalesce:
    """The last day a placement holds its place: an interrupted or completed placement stops
    holding after the day it ended."""
    return Coalesce("ended_on", F("end_date"))


def holding_on(*, host_id: int, scheme_id: str, on: date) -> QuerySet[Placement]:
    """The host's placements in the scheme that hold a place and are running on `on`."""
    return Placement.objects.annotate(last_day=_last_day()).filter(
        status__in=HOLDING_STATUSES, mission__host_id=host_id, mission__scheme_id=scheme_id,
        start_date__lte=on, last_day__gte=on,
    )


def holding_spans(*, host_ids: Iterable[int]) -> list[tuple[int, int, str, date, date]]:
    """(placement, host, scheme, first day, last day) of the hosts' placements holding a place:
    `holding_on` for many hosts and days at once, read in one query."""
    return list(
        Placement.objects.annotate(last_day=_last_day())
        .filter(status__in=HOLDING_STATUSES, mission__host_id__in=list(host_ids))
        .values_list("pk", "mission__host_id", "mission__scheme_id", "start_date", "last_day")
    )


def places_taken(*, mission_id: int) -> int:
    """The places of the mission taken now: its placements that hold one (confirmed, in
    mission, completed, interrupted). The one count behind confirmation, the waiting list,
    the missions' pages and the exchange files (missions ask it through missions/places.py)."""
    return Placement.objects.filter(mission_id=mission_id, status__in=HOLDING_STATUSES).count()


def places_taken_subquery() -> Coalesce:
    """`places_taken` of the outer query's mission (`OuterRef("pk")`) as one subquery, 0 when
    none: the catalogue annotates a page of missions in one query (missions/places.py)."""
    taken = (
        Placement.objects.filter(mission=OuterRef("pk"), status__in=HOLDING_STATUSES)
        .values("mission")
        .annotate(n=Count("id"))
        .values("n")
    )
    return Coalesce(Subquery(taken, output_field=IntegerField()), Value(0))


def quota_direction(agreement: Agreement, *, nationality: str, host_country: str) -> str | None:
    """`a_to_b` when a national of party A's country is hosted in party B's country, `b_to_a`
    for the reverse, None when the placement runs in neither direction of the agreement."""
    a, b = agreement.party_a.country.code, agreement.party_b.country.code  # type: ignore[attr-defined]  # django-countries' Country
    if nationality == a and host_country == b and a != b:
        return "a_to_b"
    if nationality == b and host_country == a and a != b:
        return "b_to_a"
    return None


def quota_used(
    agreement: Agreement, *, nationality: str, host_country: str, year: int, in_months: bool
) -> float:
    """What the agreement's placements of that direction starting in `year` already take."""
    rows = Placement.objects.filter(
        agreement=agreement, status__in=HOLDING_STATUSES, start_date__year=year,
        nationality=nationality, host_country=host_country,
    )
    if not in_months:
        return rows.count()
    return float(sum(
        months_between(start, end) for start, end in rows.values_list("start_date", "end_date")
    ))


def follow_ups_due(*, user: AnyUser, today: date) -> QuerySet[Placement]:
    """Ended placements whose six-month follow-up is due and not recorded yet."""
    cutoff = follow_up_cutoff(today)
    return (
        placements_visible_to(user)
        .annotate(last_day=Coalesce("ended_on", F("end_date")))
        .filter(
            status__in=[PlacementStatus.COMPLETED, PlacementStatus.INTERRUPTED],
            last_day__lte=cutoff, follow_up__isnull=True,
        )
        .select_related("volunteer", "mission")
        .order_by("last_day", "id")
    )


def placement_partner(*, placement: Placement, user: AnyUser) -> Partner | None:
    """The binôme partner of `placement`, or None when it is not paired. The partner's name
    and mission are personal data of another volunteer: only who may see that placement gets
    them (`placements_visible_to`), everyone else the fact of the pairing."""
    member = PairingMember.objects.filter(placement=placement).first()
    if member is None:
        return None
    other = (
        PairingMember.objects.filter(pairing_id=member.pairing_id).exclude(pk=member.pk)
        .values_list("placement_id", flat=True).first()
    )
    visible = None
    if other is not None:
        visible = (placements_visible_to(user).select_related("volunteer", "mission")
                   .filter(pk=other).first())
    return Partner(pairing_id=member.pairing_id, placement=visible)
