"""Times shown in the signed-in user's organisation's time zone (issue 16).

A member of a host in Abidjan reads "14:30" for what happened at 14:30 in Abidjan. The zone is the
first of the user's organisations (by id) that names one; otherwise settings.TIME_ZONE. It is looked
up once, at sign-in, and kept in the session, so pages cost no query for it (a changed zone applies
from the next sign-in). Anonymous requests, API calls and tasks keep settings.TIME_ZONE. A name
Python does not know is ignored rather than failing the page.
"""
from __future__ import annotations

import functools
import zoneinfo
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from reciprocity.accounts.selectors import AnyUser, member_organisation_ids
from reciprocity.partners.models import Organisation

SESSION_KEY = "organisation_time_zone"


def organisation_time_zone(user: AnyUser | None) -> zoneinfo.ZoneInfo | None:
    """The zone of the user's first organisation that has one, or None (the platform's)."""
    if user is None or not user.is_authenticated:
        return None
    ids = member_organisation_ids(user)
    if not ids:
        return None
    name = (Organisation.objects.filter(pk__in=ids).exclude(time_zone="").order_by("pk")
            .values_list("time_zone", flat=True).first())
    return _zone(name or "")


@functools.cache
def time_zone_names() -> frozenset[str]:
    """The IANA names this Python knows (the system's tzdata, or the tzdata package)."""
    return frozenset(zoneinfo.available_timezones())


def time_zone_choices() -> list[tuple[str, str]]:
    """The organisation form's list: empty first (the platform's zone), then by name."""
    return [("", ""), *((name, name.replace("_", " ")) for name in sorted(time_zone_names()))]


def _zone(name: str) -> zoneinfo.ZoneInfo | None:
    if not name:
        return None
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return None


def remember_time_zone(sender: Any, request: HttpRequest | None, user: AnyUser, **kwargs: Any) -> None:
    """On sign-in (user_logged_in, connected in apps.py): the zone goes into the session."""
    if request is None or not hasattr(request, "session"):
        return
    zone = organisation_time_zone(user)
    request.session[SESSION_KEY] = zone.key if zone is not None else ""


class OrganisationTimeZoneMiddleware:
    """After sessions and authentication: activates the session's zone for this request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = getattr(request, "session", None)
        zone = _zone(session.get(SESSION_KEY, "")) if session is not None else None
        if zone is None:
            return self.get_response(request)
        timezone.activate(zone)
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
