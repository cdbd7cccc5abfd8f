"""The two middlewares of accounts/identity.py: sessions moved to the caching backend, and
django-otp's device check served from the user's copy."""

from collections.abc import Callable
from typing import Any

from django.contrib.auth import BACKEND_SESSION_KEY
from django.http import HttpRequest, HttpResponse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.middleware import OTPMiddleware as DjangoOTPMiddleware

from reciprocity.accounts import identity
from reciprocity.accounts.backends import DJANGO_MODEL_BACKEND, MODEL_BACKEND


class SessionBackendMiddleware:
    """A session signed in through Django's ModelBackend names ours from now on (the same
    checks; ours keeps the row between requests). Between the session and authentication
    middlewares."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = getattr(request, "session", None)
        # Only a request that brings a session is read here (reading marks it accessed).
        if session is not None and session.session_key is not None and \
                session.get(BACKEND_SESSION_KEY) == DJANGO_MODEL_BACKEND:
            session[BACKEND_SESSION_KEY] = MODEL_BACKEND
        return self.get_response(request)


class OTPMiddleware(DjangoOTPMiddleware):
    """django-otp's middleware; the session's device is looked up among the devices the user's
    copy carries (identity.DEVICES) instead of by a query. The same rule applies to it:
    `_finalize_device` accepts only a confirmed device of this user."""

    def _verify_user_sync(self, request: HttpRequest, user: Any) -> Any:
        devices = getattr(user, identity.DEVICES, None) if user.is_authenticated else None
        if devices is None:  # no copy (cache off, an API token's user): django-otp's query
            return super()._verify_user_sync(request, user)
        self._init_user_fields(user)
        persistent_id = request.session.get(DEVICE_ID_SESSION_KEY)
        device = devices.get(self._normalize_persistent_id(persistent_id)) if persistent_id else None
        user.otp_device = self._finalize_device(request, user, device)
        return user
