"""Reads of volunteers, always scoped: personal data are shown only to those who work with them."""

from typing import cast

from django.db.models import Q, QuerySet

from reciprocity.accounts.selectors import AnyUser, is_platform_staff, member_organisation_ids
from reciprocity.volunteers.models import PersonalDataAccess, Volunteer
from reciprocity.volunteers.signals import volunteers_related_to_organisations


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
        visible |= Q(sending_organisation_id__in=orgs)
        # Placements and applications sit above this app: they answer for their own rows.
        for _receiver, related in volunteers_related_to_organisations.send(
            sender=Volunteer, organisation_ids=orgs
        ):
            visible |= cast(Q, related)  # each receiver returns a Q (volunteers/signals.py)
    return Volunteer.objects.filter(visible)


def volunteer_list(*, user: AnyUser, search: str = "") -> QuerySet[Volunteer]:
    qs = volunteers_visible_to(user).select_related("sending_organisation")
    if search:
        qs = qs.filter(
            Q(first_name__icontains=search) | Q(last_name__icontains=search)
            | Q(reference__icontains=search)
        )
    return qs.order_by("last_name", "first_name", "id")


def access_log(*, user: AnyUser, volunteer: Volunteer) -> QuerySet[PersonalDataAccess]:
    """A volunteer's access log: platform staff only (members never see who read what)."""
    if not is_platform_staff(user):
        return PersonalDataAccess.objects.none()
    return (PersonalDataAccess.objects.filter(volunteer=volunteer)
            .select_related("actor").order_by("-occurred_at", "-pk"))
