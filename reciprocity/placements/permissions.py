"""Who may act on a placement: the host's and the sending organisation's officers, and staff."""

from reciprocity.accounts.selectors import AnyUser, is_platform_staff, member_organisation_ids
from reciprocity.placements.models import Placement
from reciprocity.volunteers import permissions as volunteer_permissions

# The documents whose legal use needs the identity-document number in full: the consulate
# matches the invitation letter to the passport, and the contracts identify their party.
FULL_NUMBER_DOCUMENTS = frozenset({"invitation", "contract", "vsi_contract", "esc_agreement"})


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


def reads_full_document_number(user: AnyUser, placement: Placement, kind: str) -> bool:
    """Whether a document printed for `user` carries the identity-document number in full.

    Staff and the volunteer themself: always (the rule of `volunteers.permissions`). The host's
    administrators and officers: in the documents that need it (FULL_NUMBER_DOCUMENTS), which
    they sign and send. Everyone else (viewers, the sending organisation, other documents):
    the masked number, as on every page.
    """
    if volunteer_permissions.can_read_document_number(user, placement.volunteer):
        return True
    return kind in FULL_NUMBER_DOCUMENTS and placement.mission.host_id in member_organisation_ids(
        user, writable=True
    )


def may_sign_as(user: AnyUser, placement: Placement, role: str) -> bool:
    """Whether `user` may sign the placement's contract or agreement for the party `role`.

    Each party signs only for itself: the volunteer (their own account) for themself, an
    administrator or officer of the host or of the sending organisation for it. Viewers never
    sign, and platform staff sign only through a membership, like anyone else.
    """
    if not user.is_authenticated:
        return False
    if role == "volunteer":
        return is_the_volunteer(user, placement)
    writable = member_organisation_ids(user, writable=True)
    if role == "host":
        return placement.mission.host_id in writable
    if role == "sending":
        return placement.sending_organisation_id is not None and (
            placement.sending_organisation_id in writable
        )
    return False
