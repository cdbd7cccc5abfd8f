from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from reciprocity.accounts.http import AuthenticatedHttpRequest
from reciprocity.core.pagination import paginate
from reciprocity.notifications.selectors import notification_list
from reciprocity.notifications.services import notification_mark_read


@login_required
def notification_index(request: HttpRequest) -> HttpResponse:
    unread_only = request.GET.get("unread") == "1"
    qs = notification_list(user=request.user, unread_only=unread_only)
    return render(
        request, "notifications/notification_list.html",
        {"page": paginate(request, qs), "unread_only": unread_only},
    )


@login_required
@require_POST
def notification_read(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    notification_mark_read(user=request.user, notification_id=pk, now=timezone.now())
    return redirect("notifications:list")


@login_required
@require_POST
def notification_read_all(request: AuthenticatedHttpRequest) -> HttpResponse:
    notification_mark_read(user=request.user, now=timezone.now())
    return redirect("notifications:list")
