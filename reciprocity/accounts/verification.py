"""Pages of the e-mail confirmation: the link from the e-mail, and a new link on request."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from reciprocity.accounts.http import AuthenticatedHttpRequest
from reciprocity.accounts.models import User
from reciprocity.accounts.services import (
    VerificationFailed,
    email_verification_send,
    email_verify,
)

# Where the sign-up wanted to go (e.g. the application form for one mission), kept in the
# session by the sign-up page; only ever a local path (checked there, and again by the sign-in).
NEXT_SESSION_KEY = "signup_next"


def verify_email(request: HttpRequest, token: str) -> HttpResponse:
    try:
        user = email_verify(token=token, now=timezone.now())
    except VerificationFailed as exc:
        messages.error(request, exc.message)
        return redirect("home:home" if not request.user.is_authenticated else "accounts:account")
    messages.success(request, gettext("Your e-mail address is confirmed: you can apply now."))
    next_url = request.session.pop(NEXT_SESSION_KEY, "")
    if request.user.is_authenticated and request.user.pk == user.pk:
        return redirect(next_url or "home:home")
    # The sign-up signs nobody in (it answers the same for a known address), so the link
    # usually finds the person signed out: the sign-in then leads where the sign-up started.
    login_url = reverse("accounts:login")
    return redirect(f"{login_url}?{urlencode({'next': next_url})}" if next_url else login_url)


@login_required
@require_POST
def resend(request: AuthenticatedHttpRequest) -> HttpResponse:
    user: User = request.user
    if user.email_verification_pending:
        email_verification_send(user=user, base_url=request.build_absolute_uri("/"))
        messages.success(request, gettext("A new link is on its way to %(email)s.")
                         % {"email": user.email})
    back = request.POST.get("next", "")
    return redirect(back if back.startswith("/") and not back.startswith("//") else "home:home")
