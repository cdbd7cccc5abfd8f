"""Reads of volunteers, always scoped: personal data are shown only to those who work with them."""

from django.db.models import Q, QuerySet

from reciprocity.accounts.selectors import AnyUser, is_platform_staff, member_organisation_ids
from reciprocity.applications.models import Application
from reciprocity.placements.models import Placement
from reciprocity.volunteers.models import Volunteer


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
