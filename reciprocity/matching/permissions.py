"""Who may run the placement engine: platform staff, and administrators or officers of a
coordinator organisation (`Organisation.is_coordinator`). Everyone else gets 403/404."""

from django.core.exceptions import PermissionDenied

from reciprocity.accounts.models import MembershipRole, User
from reciprocity.accounts.selectors import AnyUser, is_platform_staff, memberships_of
from reciprocity.matching.models import PairingRun, PlacementRun

WRITE_ROLES = (MembershipRole.ADMIN, MembershipRole.OFFICER)


def coordinator_organisation_ids(user: AnyUser) -> set[int]:
    """Coordinator organisations in which the user is an administrator or an officer."""
    if not user.is_authenticated or not user.is_active:
        return set()
    return set(
        memberships_of(user)
        .filter(role__in=WRITE_ROLES, organisation__is_coordinator=True)
        .values_list("organisation_id", flat=True)
    )


def can_run_placements(user: AnyUser) -> bool:
    return is_platform_staff(user) or bool(coordinator_organisation_ids(user))


def can_manage_run(user: AnyUser, run: PlacementRun) -> bool:
    """Staff, or a coordinator officer of the organisation the run was made for."""
    if is_platform_staff(user):
        return True
    return run.organisation_id is not None and run.organisation_id in coordinator_organisation_ids(
        user
    )


def can_manage_pairing_run(user: AnyUser, run: PairingRun) -> bool:
    """Staff, or a coordinator officer of the programme's coordinator the run was made for."""
    if is_platform_staff(user):
        return True
    return run.organisation_id is not None and run.organisation_id in coordinator_organisation_ids(
        user
    )


def acting_user(user: AnyUser) -> User:
    """The signed-in user acting (pages and endpoints calling this require sign-in first)."""
    if not isinstance(user, User) or not user.is_authenticated:
        raise PermissionDenied
    return user
