"""Calendar downloads: the private feed (by its secret URL alone) and one `.ics` per placement."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone, translation
from django.views.decorators.http import require_GET

from reciprocity.accounts.models import CalendarFeedToken
from reciprocity.placements.selectors import placements_visible_to
from reciprocity.procedures.calendars import personal_feed, placement_calendar

CALENDAR_TYPE = "text/calendar; charset=utf-8"


def _base_url(request: HttpRequest) -> str:
    return f"{request.scheme}://{request.get_host()}"


@require_GET
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """Calendar applications cannot sign in: the secret in the URL is the only key, and the
    session is never read (someone signed in as another person gets the token owner's feed,
    never their own mixed in). A reset or turned-off feed answers 404, like an unknown one."""
    feed = (CalendarFeedToken.objects.select_related("user")
            .filter(token=token, user__is_active=True).first())
    if feed is None:
        raise Http404
    with translation.override(feed.user.preferred_language or None):
        body = personal_feed(user=feed.user, today=timezone.localdate(), now=timezone.now(),
                             base_url=_base_url(request))
    response = HttpResponse(body, content_type=CALENDAR_TYPE)
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def placement_ics(request: HttpRequest, pk: int) -> HttpResponse:
    placement = (placements_visible_to(request.user).select_related("volunteer", "mission__host")
                 .filter(pk=pk).first())
    if placement is None:
        raise Http404
    body = placement_calendar(placement=placement, now=timezone.now(), base_url=_base_url(request))
    response = HttpResponse(body, content_type=CALENDAR_TYPE)
    response["Content-Disposition"] = f'attachment; filename="placement-{placement.pk}.ics"'
    return response
