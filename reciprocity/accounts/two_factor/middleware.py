"""Nothing but the second factor until it is passed.

A signed-in user whose session has not passed a second factor, and who must (platform staff
and organisation administrators) or chose to (anyone with an enrolled app), reaches only the
verify or enrol page, sign-out and the language switch; static files are served before this
(WhiteNoise). Pages redirect there; the API answers in its JSON error shape. A request carrying
an API token is judged by the token alone: the unverified session is set aside for it, so a
wrong token cannot fall back on that session.

Needs django_otp.middleware.OTPMiddleware before it."""

from collections.abc import Callable
from typing import cast

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from reciprocity.accounts.models import User
from reciprocity.accounts.two_factor.selectors import two_factor_pending
from reciprocity.accounts.two_factor.views import with_next

OPEN_VIEWS = frozenset({
    "accounts:logout", "accounts:two_factor_verify", "accounts:two_factor_enrol", "set_language",
})
API_NAMESPACE = "api-v1"


class TwoFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func: object, view_args: object,
                     view_kwargs: object) -> HttpResponse | None:
        user = request.user
        if not user.is_authenticated or getattr(user, "is_verified", lambda: False)():
            return None
        match = request.resolver_match
        if match is not None and match.view_name in OPEN_VIEWS:
            return None
        pending = two_factor_pending(cast(User, user))
        if pending is None:
            return None
        if match is not None and API_NAMESPACE in match.namespaces:
            if request.headers.get("Authorization", "").lower().startswith("bearer "):
                request.user = AnonymousUser()
                return None
            return JsonResponse({
                "code": "two_factor_required",
                "message": _("Pass the second factor of your sign-in first, or use an API token."),
                "details": {},
            }, status=403)
        url = with_next(f"accounts:two_factor_{pending}",
                        request.get_full_path() if request.method == "GET" else "")
        if request.headers.get("HX-Request"):
            # htmx would swap the page into a fragment: have it load the whole page instead.
            response = HttpResponse(status=204)
            response["HX-Redirect"] = url
            return response
        return redirect(url)
