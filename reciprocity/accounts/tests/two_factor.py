"""Test helpers for the second factor (used by the root conftest and by tests)."""

from django.test.client import ClientMixin
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from reciprocity.accounts.models import User
from reciprocity.accounts.two_factor.codes import totp_code
from reciprocity.accounts.two_factor.selectors import two_factor_mandatory


def totp_device(user: User) -> TOTPDevice:
    """The user's confirmed authenticator app, enrolled now if they have none."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="test app", confirmed=True)


def current_code(user: User) -> str:
    """What the user's app shows now (the next step's code if this one was used)."""
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    return totp_code(device)


def pass_second_factor(client: ClientMixin, user: User) -> None:
    """Mark the client's session as having passed the second factor, as django_otp.login does;
    staff and administrators get an enrolled app first if they have none."""
    has_device = TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    if not has_device and not two_factor_mandatory(user):
        return
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = totp_device(user).persistent_id
    session.save()


def browser_sign_in(page, base_url: str, user: User, password: str = "pass-word-123") -> None:  # type: ignore[no-untyped-def]
    """Sign in through the form in a real browser, with the code of the user's app when their
    sign-in asks for one (staff and administrators get an enrolled app first)."""
    asks_code = two_factor_mandatory(user) or TOTPDevice.objects.filter(
        user=user, confirmed=True).exists()
    if asks_code:
        totp_device(user)
    page.goto(f"{base_url}/accounts/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", password)
    page.click("form.stack button[type=submit]")
    if asks_code:
        page.wait_for_selector("#two-factor-verify")
        page.fill("#id_code", current_code(user))
        page.click("#two-factor-verify button[type=submit]")
    page.wait_for_selector("header .who")
