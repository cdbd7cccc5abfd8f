"""Sessions end after a while without activity, and after SESSION_COOKIE_AGE whatever happens.

Idle limit: SESSION_IDLE_TIMEOUT_STAFF_MINUTES for platform staff (they reach everyone's data),
SESSION_IDLE_TIMEOUT_MINUTES for everyone else. Django's own SESSION_COOKIE_AGE is renewed each
time the session is saved, so the absolute limit is kept here too, from the session's first
signed-in request (OWASP ASVS 3.3.2). The last activity is written at most once a minute, so a
busy page does not save the session on every request.

A page request of an expired session is signed out and sent to the sign-in page with a message;
an API request answers 401 in the API's error shape, unless it carries a token (the token alone
then speaks for it)."""

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _

LAST_ACTIVITY_KEY = "reciprocity_last_activity"
SIGNED_IN_AT_KEY = "reciprocity_signed_in_at"
WRITE_EVERY_SECONDS = 60
API_NAMESPACE = "api-v1"


def session_stamp_sign_in(sender: object, request: HttpRequest | None, user: object,
                          **kwargs: object) -> None:
    """At sign-in (signal user_logged_in): the session is active now and starts now."""
    if request is not None and hasattr(request, "session"):
        now = int(timezone.now().timestamp())
        request.session[SIGNED_IN_AT_KEY] = now
        request.session[LAST_ACTIVITY_KEY] = now


def idle_limit_minutes(user: object) -> int:
    staff = bool(getattr(user, "is_platform_staff", False))
    return int(settings.SESSION_IDLE_TIMEOUT_STAFF_MINUTES if staff
               else settings.SESSION_IDLE_TIMEOUT_MINUTES)


class SessionIdleTimeoutMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func: object, view_args: object,
                     view_kwargs: object) -> HttpResponse | None:
        if not request.user.is_authenticated:
            return None
        session = request.session
        now = int(timezone.now().timestamp())
        last = session.get(LAST_ACTIVITY_KEY)
        signed_in_at = session.get(SIGNED_IN_AT_KEY)
        minutes = idle_limit_minutes(request.user)
        idle = last is not None and now - int(last) > minutes * 60
        too_old = signed_in_at is not None and now - int(signed_in_at) > settings.SESSION_COOKIE_AGE
        if idle or too_old:
            return self._expire(request, idle_minutes=minutes if idle else None)
        if signed_in_at is None:
            session[SIGNED_IN_AT_KEY] = now
        if last is None or now - int(last) >= WRITE_EVERY_SECONDS:
            session[LAST_ACTIVITY_KEY] = now
        return None

    def _expire(self, request: HttpRequest, *, idle_minutes: int | None) -> HttpResponse | None:
        logout(request)
        match = request.resolver_match
        if match is not None and API_NAMESPACE in match.namespaces:
            if request.headers.get("Authorization", "").lower().startswith("bearer "):
                return None
            return JsonResponse({
                "code": "session_expired",
                "message": _("Your session has expired: sign in again."),
                "details": {},
            }, status=401)
        if idle_minutes is not None:
            message = _("You were signed out after %(minutes)d minutes without activity. Sign in "
                        "again to go on.") % {"minutes": idle_minutes}
        else:
            message = _("You were signed out because your session was too old. Sign in again "
                        "to go on.")
        messages.info(request, message)
        if request.method == "GET":
            return redirect_to_login(request.get_full_path())
        return redirect(settings.LOGIN_URL)
