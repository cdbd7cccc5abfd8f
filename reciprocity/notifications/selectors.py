"""Reads of notifications (always the user's own) and of who should be told about what."""

from collections.abc import Iterable

from django.db.models import QuerySet

from reciprocity.accounts.models import Membership, MembershipRole, User
from reciprocity.accounts.selectors import AnyUser
from reciprocity.notifications.models import Notification


def notification_list(*, user: AnyUser, unread_only: bool = False) -> QuerySet[Notification]:
    if not user.is_authenticated:
        return Notification.objects.none()
    qs = Notification.objects.filter(user=user)
    if unread_only:
        qs = qs.unread()
    return qs.order_by("-created_at", "-id")


def unread_count(*, user: AnyUser) -> int:
    if not user.is_authenticated:
        return 0
    return Notification.objects.filter(user=user).unread().count()


def organisation_officers(organisation_ids: Iterable[int | None]) -> list[User]:
    """Active administrators and officers of the organisations: those who act on a message."""
    ids = {i for i in organisation_ids if i}
    if not ids:
        return []
    user_ids = Membership.objects.filter(
        organisation_id__in=ids, role__in=[MembershipRole.ADMIN, MembershipRole.OFFICER]
    ).values("user_id")
    return list(User.objects.filter(pk__in=user_ids, is_active=True).order_by("pk"))
