"""Signing in with two-factor authentication in a real Chromium: an administrator enrols an
authenticator app from the QR page's key, keeps the recovery codes, and is asked for a code at
the next sign-in."""

import base64
import re

import pytest
from django_otp.oath import totp

from reciprocity.accounts.models import MembershipRole
from reciprocity.accounts.tests.factories import MembershipFactory, UserFactory

PASSWORD = "pass-word-123"


def app_code(secret: str) -> str:
    """What an authenticator app shows for the key typed from the enrol page."""
    key = base64.b32decode(re.sub(r"\s", "", secret) + "=" * (-len(re.sub(r"\s", "", secret)) % 8))
    return f"{totp(key):06d}"


def password_step(page, base: str, username: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("form.stack button[type=submit]")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_sign_in_with_two_factor(live_server, page, _frozen_clock):
    MembershipFactory(user=UserFactory(username="claire"), role=MembershipRole.ADMIN)
    base = live_server.url
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))

    # First sign-in: an administrator must enrol before anything else.
    password_step(page, base, "claire")
    page.wait_for_selector("#two-factor-enrol")
    assert page.locator("figure.qr-code svg").is_visible()
    secret = page.text_content("#totp-secret")
    page.goto(f"{base}/volunteers/")
    assert "/accounts/two-factor/enrol/" in page.url
    page.fill("#id_code", app_code(secret))
    page.click("#two-factor-enrol button[type=submit]")
    page.wait_for_selector("#recovery-codes")
    assert page.locator("#recovery-codes li").count() == 10
    page.click("#codes-saved")
    page.wait_for_url(f"{base}/volunteers/")
    assert page.text_content("header .who") == "claire"

    # Next sign-in (a step later, so the app shows a new code): the code is asked for.
    page.click("header form.inline button[type=submit]")  # sign out
    _frozen_clock.shift(30)
    password_step(page, base, "claire")
    page.wait_for_selector("#two-factor-verify")
    page.fill("#id_code", "000000")
    page.click("#two-factor-verify button[type=submit]")
    page.wait_for_selector("#error-code")
    _frozen_clock.shift(2)  # past the throttle delay of one wrong code
    page.fill("#id_code", app_code(secret))
    page.click("#two-factor-verify button[type=submit]")
    page.wait_for_selector("header .who")
    page.goto(f"{base}/accounts/two-factor/")
    assert page.get_attribute("#two-factor-status", "data-enabled") == "true"
    # No CDN: the QR code and everything else came from the test server.
    assert all(url.startswith(base) for url in requests)
