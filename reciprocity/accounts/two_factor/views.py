"""Pages of the second factor: verify after the password, enrol, manage (regenerate recovery
codes, remove). Views parse the form and call one service; messages and redirects only here.
Every page is `never_cache`: they show keys and recovery codes."""

from typing import cast

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice

from reciprocity.accounts.models import User
from reciprocity.accounts.two_factor import services
from reciprocity.accounts.two_factor.codes import qr_svg, secret_for_display
from reciprocity.accounts.two_factor.forms import AppCodeForm, VerifyForm
from reciprocity.accounts.two_factor.selectors import (
    recovery_codes_left,
    totp_device_of,
    two_factor_mandatory,
)
from reciprocity.core.exceptions import ApplicationError


def _next_url(request: HttpRequest) -> str:
    """Where to go once done: the page first asked for, if it is one of ours."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def with_next(viewname: str, next_url: str) -> str:
    url = reverse(viewname)
    return f"{url}?{urlencode({'next': next_url})}" if next_url else url


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)  # the views are login_required


def _verified(request: HttpRequest) -> bool:
    return bool(getattr(request.user, "is_verified", lambda: False)())


def _signed_in_with(request: HttpRequest, device: object) -> None:
    # A new session key once the second factor is passed, as after the password (ASVS 3.2.1).
    otp_login(request, device)
    request.session.cycle_key()


@never_cache
@login_required
def verify(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if _verified(request):
        return redirect(_next_url(request))
    if totp_device_of(user) is None:
        if two_factor_mandatory(user):
            return redirect(with_next("accounts:two_factor_enrol", _next_url(request)))
        return redirect(_next_url(request))
    form = VerifyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = services.two_factor_verify(user=user, code=form.cleaned_data["code"])
        except ApplicationError as refusal:
            form.add_error("code", refusal.message)
        else:
            _signed_in_with(request, device)
            if isinstance(device, StaticDevice):
                left = recovery_codes_left(user)
                messages.warning(request, _(
                    "You signed in with a recovery code; %(left)d left. Make new ones from the "
                    "two-factor authentication page.") % {"left": left})
            return redirect(_next_url(request))
    return render(request, "accounts/two_factor/verify.html",
                  {"form": form, "next": _next_url(request)})


@never_cache
@login_required
def enrol(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if totp_device_of(user) is not None:
        return redirect("accounts:two_factor" if _verified(request) else "accounts:two_factor_verify")
    form = AppCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device, codes = services.two_factor_enrol_confirm(user=user, code=form.cleaned_data["code"])
        except ApplicationError as refusal:
            form.add_error("code", refusal.message)
        else:
            _signed_in_with(request, device)
            return render(request, "accounts/two_factor/recovery_codes.html",
                          {"codes": codes, "next": _next_url(request), "enrolled": True})
    device = services.two_factor_enrol_start(user=user)
    return render(request, "accounts/two_factor/enrol.html", {
        "form": form, "next": _next_url(request), "qr": qr_svg(device.config_url),
        "secret": secret_for_display(device), "mandatory": two_factor_mandatory(user),
    })


@never_cache
@login_required
def manage(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    enabled = totp_device_of(user) is not None
    return render(request, "accounts/two_factor/manage.html", {
        "enabled": enabled, "mandatory": two_factor_mandatory(user),
        "codes_left": recovery_codes_left(user) if enabled else 0,
        "regenerate_form": AppCodeForm(auto_id="regenerate_%s"),
        "remove_form": VerifyForm(auto_id="remove_%s"),
    })


@never_cache
@login_required
@require_POST
def regenerate(request: HttpRequest) -> HttpResponse:
    form = AppCodeForm(request.POST)
    if form.is_valid():
        try:
            codes = services.recovery_codes_regenerate(user=_user(request), code=form.cleaned_data["code"])
        except ApplicationError as refusal:
            messages.error(request, refusal.message)
        else:
            return render(request, "accounts/two_factor/recovery_codes.html",
                          {"codes": codes, "next": resolve_url("accounts:two_factor")})
    return redirect("accounts:two_factor")


@never_cache
@login_required
@require_POST
def remove(request: HttpRequest) -> HttpResponse:
    form = VerifyForm(request.POST)
    if form.is_valid():
        try:
            services.two_factor_remove(user=_user(request), code=form.cleaned_data["code"])
        except ApplicationError as refusal:
            messages.error(request, refusal.message)
        else:
            messages.success(request, _("Two-factor authentication is off."))
    return redirect("accounts:two_factor")
