"""Reads of conversations, always scoped to what the user may see (permissions.py in a query)."""

from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from reciprocity.accounts.selectors import AnyUser, is_platform_staff, member_organisation_ids
from reciprocity.applications.models import Application
from reciprocity.conversations.models import (
    Message,
    MessageAttachment,
    MessageKind,
    Thread,
    ThreadRead,
)
from reciprocity.placements.models import Placement


def threads_visible_to(user: AnyUser) -> QuerySet[Thread]:
    if is_platform_staff(user):
        return Thread.objects.all()
    if not user.is_authenticated:
        return Thread.objects.none()
    orgs = member_organisation_ids(user)
    return Thread.objects.filter(
        Q(placement__volunteer__user_id=user.pk) | Q(application__volunteer__user_id=user.pk)
        | Q(placement__mission__host_id__in=orgs)
        | Q(placement__sending_organisation_id__in=orgs)
        | Q(application__isnull=False, host_id__in=orgs)
        | Q(application__sending_organisation_id__in=orgs)
    )


def threads_followed_by(user: AnyUser) -> QuerySet[Thread]:
    """The threads whose unread messages count for the user: every thread they are a party to;
    for platform staff (who see every thread) only those they have opened or written in."""
    qs = threads_visible_to(user)
    if is_platform_staff(user) and user.is_authenticated:
        qs = qs.filter(reads__user_id=user.pk)
    return qs


def _seen(user_id: int, thread_ref: str) -> Coalesce:
    marker = ThreadRead.objects.filter(thread_id=OuterRef(thread_ref), user_id=user_id)
    return Coalesce(Subquery(marker.values("last_read_message_id")[:1]), Value(0))


def thread_list(*, user: AnyUser, unread_only: bool = False) -> QuerySet[Thread]:
    """The user's threads, the most recently active first, each with `unread` (messages by
    others after the user's read marker; events are shown but not counted)."""
    if not user.is_authenticated:
        return Thread.objects.none()
    qs = threads_followed_by(user).annotate(seen=_seen(user.pk, "pk")).annotate(
        unread=Count("messages", filter=Q(messages__kind=MessageKind.MESSAGE,
                                          messages__pk__gt=F("seen"))
                     & ~Q(messages__author_id=user.pk)),
    ).select_related(
        "placement__mission__host", "placement__volunteer", "application__volunteer", "host",
    )
    if unread_only:
        qs = qs.filter(unread__gt=0)
    return qs.order_by(F("last_message_at").desc(nulls_last=True), "-pk")


def unread_total(*, user: AnyUser) -> int:
    """Messages by others the user has not read, over every thread they follow (the menu)."""
    if not user.is_authenticated:
        return 0
    return (
        Message.objects.filter(thread__in=threads_followed_by(user), kind=MessageKind.MESSAGE)
        .exclude(author_id=user.pk)
        .annotate(seen=_seen(user.pk, "thread_id"))
        .filter(pk__gt=F("seen"))
        .count()
    )


def thread_get_visible(*, user: AnyUser, thread_id: int) -> Thread | None:
    return threads_visible_to(user).select_related(
        "placement__mission__host", "placement__volunteer", "placement__sending_organisation",
        "application__volunteer", "application__sending_organisation", "host",
    ).filter(pk=thread_id).first()


def thread_messages(*, thread: Thread) -> QuerySet[Message]:
    return thread.messages.select_related("author").prefetch_related("attachments").order_by(
        "created_at", "pk")


def attachment_get_visible(*, user: AnyUser, attachment_id: int) -> MessageAttachment | None:
    return MessageAttachment.objects.filter(
        pk=attachment_id, message__thread__in=threads_visible_to(user), message__erased_at=None,
    ).select_related("message__thread").first()


def placement_thread(*, placement: Placement) -> Thread | None:
    return Thread.objects.filter(placement=placement).first()


def application_thread(*, application: Application, host_id: int) -> Thread | None:
    return Thread.objects.filter(application=application, host_id=host_id).first()


def application_host_ids(*, application: Application) -> set[int]:
    """The hosts an application may have a thread with: those of its choices' missions."""
    return set(application.choices.values_list("mission__host_id", flat=True))


def threads_of_volunteer(*, volunteer_id: int) -> QuerySet[Thread]:
    return Thread.objects.filter(
        Q(placement__volunteer_id=volunteer_id) | Q(application__volunteer_id=volunteer_id)
    )
