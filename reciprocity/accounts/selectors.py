"""Who belongs where: the organisations a user may act for."""

from django.contrib.auth.models import AnonymousUser

from reciprocity.accounts.models import Membership, MembershipRole, User

AnyUser = User | AnonymousUser


def member_organisation_ids(user: AnyUser, *, writable: bool = False) -> set[int]:
    """Organisations the user is a member of (with a role that may write, if asked)."""
    if not user.is_authenticated:
        return set()
    memberships = Membership.objects.filter(user=user)
    if writable:
        memberships = memberships.filter(role__in=[MembershipRole.ADMIN, MembershipRole.OFFICER])
    return set(memberships.values_list("organisation_id", flat=True))


def is_platform_staff(user: AnyUser) -> bool:
    return bool(user.is_authenticated and user.is_active and (user.is_staff or user.is_superuser))
