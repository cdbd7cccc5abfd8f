"""Codes without the database: recovery codes and their digests, the current TOTP code of a
device, the QR image of an enrolment."""

import secrets
from base64 import b32encode
from io import BytesIO
from typing import TYPE_CHECKING

import qrcode
import qrcode.image.svg
from django.utils.crypto import salted_hmac
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext
from django_otp.oath import TOTP, hotp

if TYPE_CHECKING:
    from django_otp.plugins.otp_totp.models import TOTPDevice

RECOVERY_CODE_COUNT = 10
_RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i to misread on paper
_RECOVERY_LENGTH = 10  # 31**10, about 49 bits; guessing is throttled on top


def recovery_code_new() -> str:
    """A fresh recovery code as shown to the user: `xxxxx-xxxxx`."""
    raw = "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(_RECOVERY_LENGTH))
    return f"{raw[:5]}-{raw[5:]}"


def code_normalise(raw: str) -> str:
    """What the user typed, without the spaces and dashes people add or phones insert."""
    return "".join(raw.split()).replace("-", "").lower()


def recovery_digest(code: str) -> str:
    """What is stored of a recovery code: a keyed hash (a copy of the database alone does not
    give the codes, OWASP ASVS 2.6.2), cut to the 16 characters django-otp's token column
    holds. Keyed with SECRET_KEY: rotating the key invalidates the codes (users regenerate)."""
    return salted_hmac("reciprocity.accounts.recovery-code", code_normalise(code)).hexdigest()[:16]


def is_totp_shaped(code: str) -> bool:
    return len(code) == 6 and code.isdigit()


def totp_code(device: "TOTPDevice", *, now: float | None = None) -> str:
    """The code an authenticator app with `device`'s key accepts now: the current time step's,
    or the next one's when the current code was already used (a code never works twice)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    if now is not None:
        totp.time = now
    step = max(totp.t(), device.last_t + 1)
    return f"{hotp(device.bin_key, step, digits=device.digits):0{device.digits}d}"


def secret_for_display(device: "TOTPDevice") -> str:
    """The key in base32, in groups of four, for typing into an app that cannot scan."""
    secret = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_svg(uri: str) -> SafeString:
    """The otpauth:// URI as an inline SVG, drawn here: the secret never leaves the server."""
    image = qrcode.make(uri, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=4)
    buffer = BytesIO()
    image.save(buffer)
    svg = buffer.getvalue().decode()
    svg = svg[svg.index("<svg"):]  # drop the XML declaration, the SVG goes inside the page
    # An image needs a name (WCAG 1.1.1); the key in letters is printed beside it for those who
    # cannot scan.
    label = escape(gettext("QR code to scan with your authenticator app"))
    # Our own markup (qrcode's paths and numbers only, the label escaped): safe to insert as is.
    return mark_safe(  # noqa: S308
        svg.replace("<svg ", f'<svg class="qr" role="img" aria-label="{label}" ', 1))
