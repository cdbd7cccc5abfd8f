"""Use-cases of the second factor: enrol a TOTP app, verify a code, replace the recovery codes,
remove the second factor. Each change is told to the user (in the app and by e-mail).

A wrong code must count even though the use-case then refuses: django-otp's throttling
(exponential back-off per device) writes its failure counter in a transaction of its own, which
the refusal raised afterwards does not roll back."""

import math

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django_otp import verify_token
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from reciprocity.accounts.models import User
from reciprocity.accounts.signals import account_security_event
from reciprocity.accounts.two_factor.codes import (
    RECOVERY_CODE_COUNT,
    code_normalise,
    is_totp_shaped,
    recovery_code_new,
    recovery_digest,
)
from reciprocity.accounts.two_factor.selectors import totp_device_of
from reciprocity.core.exceptions import ApplicationError

APP_DEVICE_NAME = "Authenticator app"
RECOVERY_DEVICE_NAME = "Recovery codes"


class CodeRefused(ApplicationError):
    code = "invalid_code"
    status = 400


def _refusal(device: Device | None) -> CodeRefused:
    allowed, info = device.verify_is_allowed() if device is not None else (True, None)
    if not allowed and info and info.get("locked_until"):
        seconds = max(1, math.ceil((info["locked_until"] - timezone.now()).total_seconds()))
        return CodeRefused(
            ngettext("Too many wrong codes: wait %(seconds)d second, then try again.",
                     "Too many wrong codes: wait %(seconds)d seconds, then try again.",
                     seconds) % {"seconds": seconds},
            code="throttled", details={"retry_after": seconds},
        )
    return CodeRefused(_("This code is not valid. Check that your phone's clock is right, or use "
                         "one of your recovery codes."))


def _verify(user: User, device: Device | None, token: str) -> Device:
    """The device if it accepts `token` (then used up), or the refusal to raise."""
    if device is None:
        raise _refusal(None)
    allowed, _info = device.verify_is_allowed()
    if not allowed:
        raise _refusal(device)
    verified = verify_token(user, device.persistent_id, token)  # in a transaction of its own
    if verified is None:
        raise _refusal(None)
    return verified


def _recovery_codes_replace(user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
    codes = [recovery_code_new() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(
        [StaticToken(device=device, token=recovery_digest(code)) for code in codes]
    )
    return codes


def two_factor_enrol_start(*, user: User) -> TOTPDevice:
    """The device being enrolled: a new key, kept (unconfirmed, unusable) until the user proves
    their app has it; the same key again if they reload the page."""
    if totp_device_of(user) is not None:
        raise ApplicationError(_("Two-factor authentication is already on for your account."),
                               code="already_enrolled")
    device = totp_device_of(user, confirmed=False)
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=False)
    return device


def two_factor_enrol_confirm(*, user: User, code: str) -> tuple[TOTPDevice, list[str]]:
    """Confirm the device being enrolled with a code from the app; returns the device and the
    new recovery codes, whose clear values exist only in this return value."""
    device = _verify(user, totp_device_of(user, confirmed=False), code_normalise(code))
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        TOTPDevice.objects.filter(pk=device.pk).update(confirmed=True)
        device.refresh_from_db()
        codes = _recovery_codes_replace(user)
        account_security_event.send(
            sender=User, user=user, verb="two_factor_on",
            subject=gettext_lazy("Two-factor authentication is on for your Reciprocity account"),
            body=gettext_lazy("An authenticator app was enrolled for your account. If you did not "
                              "do it, tell the platform staff now."),
        )
    return device, codes


def two_factor_verify(*, user: User, code: str) -> Device:
    """The device that accepts `code`: a code from the app, or a recovery code (used up)."""
    code = code_normalise(code)
    if is_totp_shaped(code):
        return _verify(user, totp_device_of(user), code)
    recovery = StaticDevice.objects.filter(user=user, confirmed=True).order_by("-pk").first()
    return _verify(user, recovery, recovery_digest(code))


def recovery_codes_regenerate(*, user: User, code: str) -> list[str]:
    """New recovery codes (the old ones stop working), after a code from the app."""
    _verify(user, totp_device_of(user), code_normalise(code))
    with transaction.atomic():
        codes = _recovery_codes_replace(user)
        account_security_event.send(
            sender=User, user=user, verb="recovery_codes_new",
            subject=gettext_lazy("New recovery codes for your Reciprocity account"),
            body=gettext_lazy("New recovery codes were made for your account; the old ones no "
                              "longer work. If you did not do it, tell the platform staff now."),
        )
    return codes


def two_factor_remove(*, user: User, code: str) -> None:
    """Remove the app and the recovery codes, after a code from the app or a recovery code.
    Staff and administrators are then asked to enrol again before anything else."""
    two_factor_verify(user=user, code=code)
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
        account_security_event.send(
            sender=User, user=user, verb="two_factor_off",
            subject=gettext_lazy("Two-factor authentication is off for your Reciprocity account"),
            body=gettext_lazy("The authenticator app and recovery codes of your account were "
                              "removed. If you did not do it, tell the platform staff now."),
        )
