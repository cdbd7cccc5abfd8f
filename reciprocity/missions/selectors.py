"""Reads of missions: anyone sees published missions; members also see their own drafts."""

from django.db.models import Count, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, Greatest

from reciprocity.accounts.selectors import AnyUser, is_platform_staff, member_organisation_ids
from reciprocity.missions.models import Mission, MissionStatus
from reciprocity.placements.models import HOLDING_STATUSES, Placement


def missions_visible_to(user: AnyUser) -> QuerySet[Mission]:
    if is_platform_staff(user):
        return Mission.objects.all()
    orgs = member_organisation_ids(user)
    return Mission.objects.filter(Q(status=MissionStatus.PUBLISHED) | Q(host_id__in=orgs))


def with_places_left(qs: QuerySet[Mission]) -> QuerySet[Mission]:
    """Annotate `taken` and `places_left` in one query (no per-row count)."""
    taken = (
        Placement.objects.filter(mission=OuterRef("pk"), status__in=HOLDING_STATUSES)
        .values("mission")
        .annotate(n=Count("id"))
        .values("n")
    )
    return qs.annotate(
        taken=Coalesce(Subquery(taken, output_field=IntegerField()), Value(0))
    ).annotate(places_left=Greatest(F("capacity") - F("taken"), Value(0)))


def mission_list(
    *, user: AnyUser, scheme: str = "", country: str = "", search: str = ""
) -> QuerySet[Mission]:
    qs = missions_visible_to(user).select_related("host", "scheme")
    if scheme:
        qs = qs.filter(scheme_id=scheme)
    if country:
        qs = qs.filter(country=country.upper())
    if search:
        qs = qs.filter(Q(title__icontains=search) | Q(city__icontains=search))
    return with_places_left(qs).order_by("start_date", "id")
