"""Who may read and write a conversation.

The parties of a thread are the volunteer (own account), the members of the sending
organisation and the members of the host (the placement's mission's host, or the host an
application thread is with). Every member reads; administrators and officers write, viewers
only read. Platform staff read and write every thread. Nobody else learns that a thread exists
(pages and API answer 404).
"""

from reciprocity.accounts.selectors import AnyUser, is_platform_staff, member_organisation_ids
from reciprocity.conversations.models import Thread


def thread_parties(thread: Thread) -> tuple[int | None, set[int]]:
    """(the volunteer's user id, the organisations) of a thread."""
    if thread.placement_id is not None:
        placement = thread.placement
        assert placement is not None
        orgs = {placement.mission.host_id, placement.sending_organisation_id}
        return placement.volunteer.user_id, {o for o in orgs if o}
    application = thread.application
    assert application is not None
    orgs = {thread.host_id, application.sending_organisation_id}
    return application.volunteer.user_id, {o for o in orgs if o}


def can_read(user: AnyUser, thread: Thread) -> bool:
    if is_platform_staff(user):
        return True
    if not user.is_authenticated:
        return False
    volunteer_user_id, orgs = thread_parties(thread)
    return volunteer_user_id == user.pk or bool(orgs & member_organisation_ids(user))


def can_write(user: AnyUser, thread: Thread) -> bool:
    if is_platform_staff(user):
        return True
    if not user.is_authenticated:
        return False
    volunteer_user_id, orgs = thread_parties(thread)
    return volunteer_user_id == user.pk or bool(orgs & member_organisation_ids(user, writable=True))
