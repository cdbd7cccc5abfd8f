"""Who runs which part of the network (docs/accounts.md, "Running the network").

- Platform staff: everything.
- A **coordinator writer** is an administrator or officer of an organisation flagged
  `is_coordinator`. They manage their coordinator organisation and its **network**: the
  organisations affiliated to it (any kind of affiliation) that have not ended before today.
  One level only: an organisation affiliated to a network member is not in the coordinator's
  network.
- An organisation's own administrator edits its contact details (nothing else).
- Officers of other organisations, viewers and volunteers read only.

Every check reads the user's organisations through `memberships_of`, so an API token acts only
with the rights of its own organisation.
"""

import datetime
from collections.abc import Iterable

from django.db.models import Q, QuerySet

from reciprocity.accounts.models import MembershipRole
from reciprocity.accounts.selectors import AnyUser, is_platform_staff, memberships_of
from reciprocity.partners.models import Affiliation, Organisation

WRITE_ROLES = (MembershipRole.ADMIN, MembershipRole.OFFICER)
# What an organisation's own administrator may change about it.
# What an organisation's own administrators may change (its time zone too: the times its members
# read on their pages, partners/timezones.py).
CONTACT_FIELDS = ("contact_name", "email", "phone", "website", "address", "time_zone")


def coordinator_ids(user: AnyUser) -> set[int]:
    """Coordinator organisations where `user` is an administrator or officer."""
    return set(memberships_of(user).filter(
        role__in=WRITE_ROLES, organisation__is_coordinator=True,
    ).values_list("organisation_id", flat=True))


def network_ids(coordinators: Iterable[int], *, today: datetime.date) -> set[int]:
    """Organisations affiliated to one of `coordinators`, now or from a later date (a member
    whose affiliation starts next month is already run by its coordinator)."""
    return set(Affiliation.objects.filter(parent_id__in=list(coordinators)).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=today)
    ).values_list("member_id", flat=True))


def managed_ids(user: AnyUser, *, today: datetime.date) -> set[int]:
    """Organisations a non-staff user manages: their coordinators and those coordinators'
    networks (empty for anyone who writes for no coordinator)."""
    coordinators = coordinator_ids(user)
    if not coordinators:
        return set()
    return coordinators | network_ids(coordinators, today=today)


def managed_organisations(user: AnyUser, *, today: datetime.date) -> QuerySet[Organisation]:
    if is_platform_staff(user):
        return Organisation.objects.all()
    return Organisation.objects.filter(pk__in=managed_ids(user, today=today))


def runs_the_network(user: AnyUser) -> bool:
    """Creates organisations, agreements and programmes: staff and coordinator writers."""
    return is_platform_staff(user) or bool(coordinator_ids(user))


def can_manage_organisation(user: AnyUser, organisation: Organisation, *,
                            today: datetime.date) -> bool:
    """Edits every field of the organisation (but `is_coordinator`), its accreditations and the
    affiliations to it."""
    return is_platform_staff(user) or organisation.pk in managed_ids(user, today=today)


def can_edit_contacts(user: AnyUser, organisation: Organisation, *,
                      today: datetime.date) -> bool:
    return can_manage_organisation(user, organisation, today=today) or memberships_of(
        user).filter(organisation=organisation, role=MembershipRole.ADMIN).exists()


def can_grant_coordinator(user: AnyUser) -> bool:
    """Making an organisation a coordinator gives its members rights over others: staff only."""
    return is_platform_staff(user)
