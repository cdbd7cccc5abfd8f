"""API authentication: `Authorization: Bearer <token>`, the browser session, or anonymous."""

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja.security import HttpBearer, SessionAuth

from reciprocity.accounts.models import ApiToken
from reciprocity.core.exceptions import ApplicationError, NotAllowed


class TokenRefused(ApplicationError):
    """A token that exists but no longer authenticates (expired or revoked)."""

    code = "unauthenticated"
    status = 401


# Methods a `read` token may use; anything else needs a `read-write` token.
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class TokenAuth(HttpBearer):
    """A bearer token of `accounts.ApiToken`. The request then acts as the token's user narrowed
    to the token (`User.api_token`: its organisation, or staff rights for a platform-wide staff
    token); expired and revoked tokens get 401, a `read` token 403 on any write."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        row = (
            ApiToken.objects.select_related("user")
            .filter(key_hash=ApiToken.hash(token), user__is_active=True)
            .first()
        )
        if row is None:
            return None
        now = timezone.now()
        if row.revoked_at is not None:
            raise TokenRefused(_("This API token has been revoked."),
                               details={"reason": "token_revoked"})
        if not row.is_usable_at(now):
            raise TokenRefused(_("This API token has expired."),
                               details={"reason": "token_expired"})
        if not row.may_write and request.method not in SAFE_METHODS:
            raise NotAllowed(_("This API token may only read."),
                             details={"reason": "token_read_only"})
        ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
        user = row.user
        user.api_token = row
        request.user = user
        return user


class Session(SessionAuth):
    """Session auth that lets anonymous reads through, for public data (published missions)."""

    def __init__(self, *, allow_anonymous: bool = False) -> None:
        super().__init__()
        self.allow_anonymous = allow_anonymous

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        if request.user.is_authenticated:
            return request.user
        return request.user if self.allow_anonymous else None

    def __call__(self, request: HttpRequest) -> Any:
        if self.allow_anonymous and not request.user.is_authenticated:
            return request.user
        return super().__call__(request)


SIGNED_IN = [TokenAuth(), Session()]
PUBLIC = [TokenAuth(), Session(allow_anonymous=True)]
# What the OpenAPI schema says of a PUBLIC operation: a token, a session, or none at all (`{}`);
# ninja would list only the first two, so clients and checkers took the operation for closed.
PUBLIC_OPENAPI: dict[str, Any] = {"security": [{}, {"TokenAuth": []}, {"Session": []}]}
