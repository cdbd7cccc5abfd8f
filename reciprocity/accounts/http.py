"""Typed requests: what a view or an API operation behind a sign-in may assume of `request.user`.

Django types `request.user` as `User | AnonymousUser`; behind `login_required`, a staff check or
the API's `SIGNED_IN` auth it is always a `User`. Annotating the request as
`AuthenticatedHttpRequest` says so once, instead of a mypy ignore comment (arg-type) at every call
that passes `request.user` as an actor (django-stubs documents this pattern).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from reciprocity.accounts.models import User


class AuthenticatedHttpRequest(HttpRequest):
    """A request whose user is signed in (use it only behind a sign-in check)."""

    user: User


def signed_in_user(request: HttpRequest) -> User:
    """`request.user` as a `User`, for code not behind a sign-in check; refuses anonymous users."""
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied
    return user
