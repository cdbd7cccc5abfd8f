from datetime import datetime
from typing import Any

from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Path, Query, Router, Schema
from ninja.pagination import paginate

from reciprocity.accounts.api_auth import SIGNED_IN
from reciprocity.accounts.http import AuthenticatedHttpRequest
from reciprocity.core.api_errors import ErrorOut
from reciprocity.core.bounds import Id
from reciprocity.core.pagination import bounded_pagination
from reciprocity.notifications.selectors import notification_list
from reciprocity.notifications.services import notification_mark_read

router = Router(tags=["notifications"], auth=SIGNED_IN)

class NotificationOut(Schema):
    id: int
    verb: str
    subject: str
    text: str
    link: str
    created_at: datetime
    read_at: datetime | None

class NotificationFilters(Schema):
    unread: bool = False

class MarkedOut(Schema):
    marked: int

@router.get("", response={200: list[NotificationOut], 401: ErrorOut, 422: ErrorOut})
@paginate(bounded_pagination(default=100))
def list_notifications(request: HttpRequest, filters: Query[NotificationFilters]) -> Any:
    """The signed-in user's own notifications, newest first."""
    return notification_list(user=request.user, unread_only=filters.unread)

@router.post("/read-all", response={200: MarkedOut, 401: ErrorOut})
def read_all(request: AuthenticatedHttpRequest) -> Any:
    return {"marked": notification_mark_read(user=request.user, now=timezone.now())}


@router.post(
    "/{notification_id}/read", response={200: MarkedOut, 401: ErrorOut, 404: ErrorOut, 422: ErrorOut}
)
def read_one(request: AuthenticatedHttpRequest, notification_id: Path[Id]) -> Any:
    """Mark one of your notifications as read (404 if it is not yours or does not exist)."""
    if not notification_list(user=request.user).filter(pk=notification_id).exists():
        raise Http404
    return {"marked": notification_mark_read(user=request.user, notification_id=notification_id,
                                             now=timezone.now())}
