import datetime

from django.db.models import Q, QuerySet

from reciprocity.accounts.selectors import AnyUser, is_platform_staff, member_organisation_ids
from reciprocity.agreements.models import Agreement, Programme
from reciprocity.partners.permissions import managed_ids


def agreements_visible_to(user: AnyUser, *, today: datetime.date | None = None
                          ) -> QuerySet[Agreement]:
    """Staff see all agreements; members see those their organisations are party to. Given
    `today`, coordinators also see those of their network, which they run
    (partners/permissions.py)."""
    if is_platform_staff(user):
        return Agreement.objects.all()
    orgs = member_organisation_ids(user)
    if today is not None:
        orgs |= managed_ids(user, today=today)
    return Agreement.objects.filter(Q(party_a_id__in=orgs) | Q(party_b_id__in=orgs))


def agreement_list(*, user: AnyUser, today: datetime.date | None = None) -> QuerySet[Agreement]:
    return (
        agreements_visible_to(user, today=today)
        .select_related("party_a", "party_b", "programme")
        .prefetch_related("schemes")
        .order_by("reference")
    )


def programmes_visible_to(user: AnyUser) -> QuerySet[Programme]:
    """Programmes are public facts of the network: staff and members of any organisation read
    them all; volunteers and anonymous visitors none."""
    if not (is_platform_staff(user) or member_organisation_ids(user)):
        return Programme.objects.none()
    return (Programme.objects.select_related("coordinator").prefetch_related("schemes")
            .order_by("name", "pk"))
