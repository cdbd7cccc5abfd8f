"""The interface language, remembered per person (docs/accounts.md, "Language").

Anonymous visitors get Django's usual choice (the language cookie, else the browser's
Accept-Language). A signed-in person who has chosen a language gets it on every request, whatever
the browser or device: `PreferredLanguageMiddleware` runs after `LocaleMiddleware` and the
authentication, and activates `User.preferred_language` when it is one of settings.LANGUAGES.
The language switch in every page's header posts to `set_language` below, which is Django's view
plus, for a signed-in person, saving the choice.

A blank preference means "not chosen yet": the browser decides, and at the sign-in the language
the sign-in page was shown in becomes the preference (`remember_language_at_sign_in`), so e-mails
(notifications/services.py) go out in the language the person reads the site in.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.views import i18n
from django.views.decorators.http import require_POST

from reciprocity.accounts.models import User
from reciprocity.accounts.services import is_interface_language, user_set_preferred_language


def preferred_language(user: object) -> str:
    """The signed-in user's chosen interface language, or "" (anonymous, not chosen, unknown)."""
    if not isinstance(user, User) or not user.is_authenticated:
        return ""
    language = user.preferred_language or ""
    return language if is_interface_language(language) else ""


class PreferredLanguageMiddleware:
    """Activate a signed-in person's preferred language (after LocaleMiddleware, which chose the
    browser's, and after the authentication middleware, which gives `request.user`)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = preferred_language(request.user)
        if language:
            translation.activate(language)
            request.LANGUAGE_CODE = language
        response = self.get_response(request)
        # Read again: the language switch may have just changed it. The cookie follows the
        # preference so the pages after signing out stay in the same language.
        language = preferred_language(request.user)
        cookie = settings.LANGUAGE_COOKIE_NAME
        if language and request.COOKIES.get(cookie) != language and cookie not in response.cookies:
            response.set_cookie(
                cookie, language, max_age=settings.LANGUAGE_COOKIE_AGE,
                path=settings.LANGUAGE_COOKIE_PATH, domain=settings.LANGUAGE_COOKIE_DOMAIN,
                secure=settings.LANGUAGE_COOKIE_SECURE, httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
                samesite=settings.LANGUAGE_COOKIE_SAMESITE,
            )
        return response


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Django's language switch (cookie, redirect to `next`), which also saves a signed-in
    person's choice. An unknown language changes nothing (Django's view ignores it too)."""
    response = i18n.set_language(request)
    language = request.POST.get("language", "")
    user = request.user
    if isinstance(user, User) and user.is_authenticated and is_interface_language(language):
        user_set_preferred_language(user=user, language=language)
    return response


def remember_language_at_sign_in(sender: Any, request: HttpRequest | None, user: User,
                                 **kwargs: Any) -> None:
    """user_logged_in receiver: a person with no preference yet keeps the language they signed
    in with (a test's force_login has no negotiated language: nothing is saved)."""
    language = getattr(request, "LANGUAGE_CODE", "") if request is not None else ""
    if not user.preferred_language and is_interface_language(language):
        user_set_preferred_language(user=user, language=language)
