"""Who belongs where: memberships by role, and what an anonymous or inactive user is."""

import pytest
from django.contrib.auth.models import AnonymousUser

from reciprocity.accounts.models import MembershipRole
from reciprocity.accounts.selectors import (
    is_platform_staff,
    member_organisation_ids,
    memberships_of,
)
from reciprocity.accounts.tests.factories import MembershipFactory, StaffFactory, UserFactory
from reciprocity.partners.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


# (the role, counted among the organisations, counted among those it may write for)
ROLES = [
    (MembershipRole.ADMIN, True, True),
    (MembershipRole.OFFICER, True, True),
    (MembershipRole.VIEWER, True, False),
]


@pytest.mark.parametrize(("role", "member", "writable"), ROLES)
def test_member_organisations_by_role(role, member, writable):
    membership = MembershipFactory(role=role)
    MembershipFactory(role=MembershipRole.ADMIN)  # someone else's organisation
    user, org = membership.user, membership.organisation

    assert (member_organisation_ids(user) == {org.pk}) is member
    assert (member_organisation_ids(user, writable=True) == {org.pk}) is writable
    assert list(memberships_of(user)) == [membership]


def test_an_anonymous_visitor_belongs_nowhere_and_is_not_staff():
    anonymous = AnonymousUser()

    assert not memberships_of(anonymous).exists()
    assert member_organisation_ids(anonymous) == set()
    assert is_platform_staff(anonymous) is False


# (is_staff, is_superuser, is_active, staff rights)
STAFF = [
    (True, False, True, True),
    (False, True, True, True),
    (True, False, False, False),  # a deactivated staff account has no rights left
    (False, False, True, False),
]


@pytest.mark.parametrize(("is_staff", "is_superuser", "is_active", "expected"), STAFF)
def test_platform_staff(is_staff, is_superuser, is_active, expected):
    user = UserFactory(is_staff=is_staff, is_superuser=is_superuser, is_active=is_active)

    assert is_platform_staff(user) is expected


def test_a_staff_member_of_two_organisations_belongs_to_both():
    staff = StaffFactory()
    first, second = OrganisationFactory(), OrganisationFactory()
    MembershipFactory(user=staff, organisation=first)
    MembershipFactory(user=staff, organisation=second, role=MembershipRole.VIEWER)

    assert member_organisation_ids(staff) == {first.pk, second.pk}
    assert member_organisation_ids(staff, writable=True) == {first.pk}
