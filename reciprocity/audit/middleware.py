"""The request being served, so that an audit entry written during it knows who acted.

django-auditlog's own middleware reads `request.user` once, when the request comes in: a request
authenticated by an API token is still anonymous then (django-ninja sets the token's user later,
in `core.api_auth.TokenAuth`), so its writes would be recorded as made by nobody. Here the user
is read when each entry is written, after authentication, whatever authenticated the request.
"""

from collections.abc import Callable
from contextvars import ContextVar

from django.http import HttpRequest, HttpResponse

from reciprocity.accounts.models import User

_current_request: ContextVar[HttpRequest | None] = ContextVar("audit_request", default=None)


class AuditRequestMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _current_request.set(request)
        try:
            return self.get_response(request)
        finally:
            _current_request.reset(token)


def current_request() -> HttpRequest | None:
    return _current_request.get()


def current_actor() -> User | None:
    """The signed-in user of the request being served; None outside a request (a command, a
    job: the system) or for an anonymous visitor."""
    request = _current_request.get()
    user = getattr(request, "user", None)
    # isinstance sees through the lazy `request.user` of the session middleware.
    if isinstance(user, User) and user.is_authenticated:
        return user
    return None
