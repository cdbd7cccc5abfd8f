"""Who may act on a placement: the host's and the sending organisation's officers, and staff."""

from reciprocity.accounts.selectors import AnyUser, is_platform_staff, member_organisation_ids
from reciprocity.placements.models import Placement


def can_manage(user: AnyUser, placement: Placement) -> bool:
    """Confirm, start, complete, cancel or interrupt: an officer of either side, or staff."""
    if is_platform_staff(user):
        return True
    orgs = member_organisation_ids(user, writable=True)
    return placement.mission.host_id in orgs or placement.sending_organisation_id in orgs


def is_the_volunteer(user: AnyUser, placement: Placement) -> bool:
    return bool(user.is_authenticated and placement.volunteer.user_id == user.pk)


def can_write_as_tutor(user: AnyUser, placement: Placement) -> bool:
    return is_platform_staff(user) or placement.mission.host_id in member_organisation_ids(
        user, writable=True
    )
