"""Rate limits of the account forms anyone can post without signing in (volunteer sign-up,
password reset): per e-mail address and per client address, so that neither form can be used to
flood a person's mailbox or to probe many addresses from one machine.

Counted by core/throttling.py's fixed windows (the API's counters: one implementation, in the
default cache, atomic in Redis and under locmem's lock). Settings ACCOUNT_RATE_LIMIT_PER_EMAIL
and ACCOUNT_RATE_LIMIT_PER_IP (docs/security.md); each form counts on its own. A refusal is the
same whether the address has an account or not, so the limit reveals nothing either.
"""

import hashlib
import time

from django import forms
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.translation import ngettext

from reciprocity.core.throttling import client_address, fixed_window_hit, parse_rate

SIGN_UP = "sign-up"
PASSWORD_RESET = "password-reset"  # noqa: S105 (a counter's name, not a secret)


def _email_key(email: str) -> str:
    # The cache holds a digest, not the address (a cache dump lists no one's e-mail).
    normalised = email.strip().lower()
    return hashlib.sha256(normalised.encode()).hexdigest()[:32] if normalised else ""


def account_form_wait(request: HttpRequest, *, form: str, email: str) -> int | None:
    """Count one submission of `form` for `email` from the request's client: None while both
    limits allow it, else the seconds to wait."""
    now = time.time()
    waits: list[int] = []
    for kind, setting, ident in (
        ("ip", "ACCOUNT_RATE_LIMIT_PER_IP", client_address(request)),
        ("email", "ACCOUNT_RATE_LIMIT_PER_EMAIL", _email_key(email)),
    ):
        rate = parse_rate(getattr(settings, setting, None))
        if rate is not None and ident:
            wait = fixed_window_hit(scope=f"{form}:{kind}", ident=ident, rate=rate, now=now)
            if wait is not None:
                waits.append(wait)
    return max(waits) if waits else None


def refusal_message(wait: int) -> str:
    minutes = max(1, -(-wait // 60))
    return ngettext(
        "Too many attempts from this connection or for this e-mail address. Try again in "
        "%(minutes)d minute.",
        "Too many attempts from this connection or for this e-mail address. Try again in "
        "%(minutes)d minutes.",
        minutes,
    ) % {"minutes": minutes}


def refuse(form: forms.Form, wait: int) -> None:
    """Put the refusal on the form as its error (the page shows it where it shows the others)."""
    form.add_error(None, refusal_message(wait))


def too_many(response: HttpResponse, wait: int) -> HttpResponse:
    """429 with Retry-After, like the API's refusals."""
    response.status_code = 429
    response["Retry-After"] = str(wait)
    return response
