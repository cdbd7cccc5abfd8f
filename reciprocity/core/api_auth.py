"""API authentication: `Authorization: Bearer <token>`, the browser session, or anonymous."""

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer, SessionAuth

from reciprocity.accounts.models import ApiToken


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        row = (
            ApiToken.objects.select_related("user")
            .filter(key_hash=ApiToken.hash(token), user__is_active=True)
            .first()
        )
        if row is None:
            return None
        ApiToken.objects.filter(pk=row.pk).update(last_used_at=timezone.now())
        request.user = row.user
        return row.user


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
