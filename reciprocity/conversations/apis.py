"""`/api/v1/threads`: conversations on placements and applications; same rules as the pages.

A thread nobody may read answers 404 (its existence is not told); a viewer reads and gets 403
on a write. Attachments are listed with their names and sizes and downloaded from the page URL
given (`download`), with the browser session."""

from datetime import datetime
from typing import Any

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from ninja import Path, Query, Router, Schema
from ninja.pagination import paginate
from pydantic import Field, model_validator

from reciprocity.accounts.api_auth import SIGNED_IN
from reciprocity.accounts.http import AuthenticatedHttpRequest
from reciprocity.applications.selectors import applications_visible_to
from reciprocity.conversations import permissions, services
from reciprocity.conversations.models import Message, Thread
from reciprocity.conversations.selectors import (
    application_host_ids,
    thread_get_visible,
    thread_list,
    thread_messages,
)
from reciprocity.core.api_errors import ErrorOut
from reciprocity.core.api_types import Input, LongText
from reciprocity.core.bounds import Id
from reciprocity.core.pagination import bounded_pagination
from reciprocity.placements.selectors import placements_visible_to

router = Router(tags=["conversations"], auth=SIGNED_IN)

READ_ERRORS: dict[int, Any] = {401: ErrorOut, 404: ErrorOut, 422: ErrorOut}
WRITE_ERRORS: dict[int, Any] = {
    400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut
}


class ThreadOut(Schema):
    id: int
    placement_id: int | None
    application_id: int | None
    host_id: int | None = Field(description="The host of an application thread.")
    created_at: datetime
    last_message_at: datetime | None
    unread: int = Field(0, description="Messages by others you have not read (events excluded).")
    may_write: bool = False


class AttachmentOut(Schema):
    id: int
    original_name: str
    content_type: str
    size: int
    download: str

    @staticmethod
    def resolve_download(obj: Any) -> str:
        return reverse("conversations:attachment", args=[obj.pk])


class MessageOut(Schema):
    id: int
    kind: str = Field(description="`message`, or `event` (a status change written by the platform).")
    event: str = Field(description="accepted, confirmed, cancelled, withdrawn, step_overdue; '' for a message.")
    detail: str
    author_id: int | None
    author_name: str
    text: str
    created_at: datetime
    erased: bool
    attachments: list[AttachmentOut]

    @staticmethod
    def resolve_author_name(obj: Message) -> str:
        return (obj.author.get_full_name() or obj.author.username) if obj.author else ""

    @staticmethod
    def resolve_erased(obj: Message) -> bool:
        return obj.erased_at is not None

    @staticmethod
    def resolve_attachments(obj: Message) -> list[Any]:
        return list(obj.attachments.all())


class ThreadFilters(Schema):
    unread: bool = Field(False, description="Only threads with unread messages.")


class ThreadOpenIn(Input):
    """A placement, or an application and one of the hosts of its choices."""

    placement_id: Id | None = None
    application_id: Id | None = None
    host_id: Id | None = None

    @model_validator(mode="after")
    def _one_subject(self) -> "ThreadOpenIn":
        if (self.placement_id is None) == (self.application_id is None):
            raise ValueError("Give placement_id, or application_id with host_id.")
        if (self.application_id is None) != (self.host_id is None):
            raise ValueError("host_id goes with application_id (and only with it).")
        return self


class MessageIn(Input):
    text: LongText = Field(min_length=1)


class ReadOut(Schema):
    read: bool


def _out(thread: Thread, user: Any, unread: int | None = None) -> dict[str, Any]:
    return {
        "id": thread.pk, "placement_id": thread.placement_id,
        "application_id": thread.application_id, "host_id": thread.host_id,
        "created_at": thread.created_at, "last_message_at": thread.last_message_at,
        "unread": unread if unread is not None else getattr(thread, "unread", 0),
        "may_write": permissions.can_write(user, thread),
    }


def _visible(request: HttpRequest, thread_id: int) -> Thread:
    thread = thread_get_visible(user=request.user, thread_id=thread_id)
    if thread is None:
        raise Http404
    return thread


@router.get("", response={200: list[ThreadOut], **READ_ERRORS})
@paginate(bounded_pagination(default=50))
def list_threads(request: HttpRequest, filters: Query[ThreadFilters]) -> Any:
    """Your conversations, the most recently active first, with their unread counts (platform
    staff: the threads they have opened or written in)."""
    return [_out(t, request.user) for t in thread_list(user=request.user, unread_only=filters.unread)]


@router.post("", response={200: ThreadOut, **WRITE_ERRORS})
def open_thread(request: AuthenticatedHttpRequest, payload: ThreadOpenIn) -> Any:
    """The thread of a placement, or of an application with one host (created if new); 404 for
    a placement or application you may not see."""
    if payload.placement_id is not None:
        placement = get_object_or_404(placements_visible_to(request.user), pk=payload.placement_id)
        candidate = Thread(placement=placement)
    else:
        application = get_object_or_404(applications_visible_to(request.user),
                                         pk=payload.application_id)
        if payload.host_id not in application_host_ids(application=application):
            raise Http404
        candidate = Thread(application=application, host_id=payload.host_id)
    if not permissions.can_read(request.user, candidate):
        raise Http404
    if candidate.placement is not None:
        thread = services.thread_for_placement(placement=candidate.placement)
    else:
        assert candidate.application is not None and candidate.host_id is not None
        thread = services.thread_for_application(application=candidate.application,
                                                 host_id=candidate.host_id)
    return _out(_visible(request, thread.pk), request.user, unread=None)


@router.get("/{thread_id}", response={200: ThreadOut, **READ_ERRORS})
def get_thread(request: HttpRequest, thread_id: Path[Id]) -> Any:
    thread = thread_list(user=request.user).filter(pk=thread_id).first() or _visible(
        request, thread_id)
    return _out(thread, request.user)


@router.get("/{thread_id}/messages", response={200: list[MessageOut], **READ_ERRORS})
@paginate(bounded_pagination(default=100))
def list_messages(request: HttpRequest, thread_id: Path[Id]) -> Any:
    """The thread's messages and events, oldest first (reading does not mark them read: POST
    `/read` does)."""
    return thread_messages(thread=_visible(request, thread_id))


@router.post("/{thread_id}/messages", response={201: MessageOut, **WRITE_ERRORS})
def post_message(request: AuthenticatedHttpRequest, thread_id: Path[Id], payload: MessageIn) -> Any:
    """Write in the thread (403 for a viewer). The other parties are e-mailed, at most once per
    thread and person every 15 minutes (docs/conversations.md)."""
    thread = _visible(request, thread_id)
    message = services.message_post(thread=thread, author=request.user, text=payload.text,
                                    now=timezone.now())
    return 201, message


@router.post("/{thread_id}/read", response={200: ReadOut, **READ_ERRORS})
def mark_read(request: AuthenticatedHttpRequest, thread_id: Path[Id]) -> Any:
    """Mark every message of the thread as read."""
    services.thread_mark_read(thread=_visible(request, thread_id), user=request.user)
    return {"read": True}
