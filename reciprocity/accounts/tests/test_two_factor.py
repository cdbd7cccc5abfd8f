"""Two-factor authentication: mandatory for staff and organisation administrators, optional for
everyone else, recovery codes used once, throttled guesses (OWASP ASVS 2.7, 2.8, 2.6)."""

import re

import pytest
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from reciprocity.accounts.models import ApiToken, MembershipRole
from reciprocity.accounts.tests.factories import MembershipFactory, StaffFactory, UserFactory
from reciprocity.accounts.tests.two_factor import current_code, totp_device
from reciprocity.accounts.two_factor.codes import totp_code
from reciprocity.notifications.models import Notification

pytestmark = pytest.mark.django_db

PASSWORD = "pass-word-123"


def administrator():  # type: ignore[no-untyped-def]
    return MembershipFactory(role=MembershipRole.ADMIN).user


def enrol(client) -> list[str]:  # type: ignore[no-untyped-def]
    """Go through the enrol page as a person with an app would; returns the recovery codes."""
    page = client.get("/accounts/two-factor/enrol/")
    assert page.status_code == 200
    device = TOTPDevice.objects.get(user=page.context["user"], confirmed=False)
    done = client.post("/accounts/two-factor/enrol/", {"code": totp_code(device)})
    assert done.status_code == 200, done.context["form"].errors
    return done.context["codes"]


def test_an_administrator_without_a_device_is_sent_to_enrol_and_reaches_nothing_else(client):
    user = administrator()
    response = client.post("/accounts/login/", {"username": user.username, "password": PASSWORD})
    home = client.get(response["Location"])
    assert home.status_code == 302
    assert home["Location"] == "/accounts/two-factor/enrol/?next=%2F"
    for path in ("/missions/mine/", "/volunteers/", "/accounts/two-factor/", "/accounts/",
                 "/admin/"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith("/accounts/two-factor/enrol/"), path
    # Writes are stopped too, and the API answers in its JSON shape.
    assert client.post("/notifications/read-all/")["Location"] == "/accounts/two-factor/enrol/"
    api = client.get("/api/v1/organisations")
    assert api.status_code == 403
    assert api.json()["code"] == "two_factor_required"
    # What stays open: the enrol page, the language switch and signing out.
    assert client.get("/accounts/two-factor/enrol/").status_code == 200
    assert client.post("/i18n/setlang/", {"language": "fr", "next": "/"}).status_code == 302
    assert client.post("/accounts/logout/").status_code == 302
    assert not client.get("/").context["user"].is_authenticated


def test_enrolment_shows_a_qr_code_and_the_key_then_ten_recovery_codes_once(client, _frozen_clock):
    user = administrator()
    client.post("/accounts/login/", {"username": user.username, "password": PASSWORD})
    page = client.get("/accounts/two-factor/enrol/?next=/volunteers/")
    body = page.content.decode()
    assert '<svg class="qr" role="img"' in body
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    assert re.sub(r"\s", "", page.context["secret"]) in re.sub(r"\s", "", device.config_url.upper())
    # Reloading keeps the same key (the app may already have scanned it).
    client.get("/accounts/two-factor/enrol/")
    assert TOTPDevice.objects.get(user=user).key == device.key

    wrong = client.post("/accounts/two-factor/enrol/", {"code": "000000", "next": "/volunteers/"})
    assert wrong.status_code == 200 and wrong.context["form"].errors
    _frozen_clock.shift(2)  # past the throttle delay of one wrong code
    done = client.post("/accounts/two-factor/enrol/", {"code": totp_code(device), "next": "/volunteers/"})
    codes = done.context["codes"]
    assert len(codes) == 10 and len(set(codes)) == 10
    assert all(re.fullmatch(r"[a-z2-9]{5}-[a-z2-9]{5}", code) for code in codes)
    assert 'href="/volunteers/"' in done.content.decode()
    # Only digests are stored; the session is verified from now on.
    assert not StaticToken.objects.filter(token__in=codes).exists()
    assert StaticToken.objects.filter(device__user=user).count() == 10
    assert client.get("/volunteers/").status_code == 200
    assert TOTPDevice.objects.get(user=user).confirmed
    assert Notification.objects.filter(user=user, verb="two_factor_on").exists()


def test_staff_with_a_device_must_give_a_code_after_the_password(client, _frozen_clock):
    staff = StaffFactory()
    totp_device(staff)
    client.post("/accounts/login/", {"username": staff.username, "password": PASSWORD})
    session_key = client.cookies["sessionid"].value
    response = client.get("/volunteers/?page=2")
    assert response["Location"] == "/accounts/two-factor/verify/?next=%2Fvolunteers%2F%3Fpage%3D2"

    wrong = client.post("/accounts/two-factor/verify/", {"code": "123456", "next": "/volunteers/"})
    assert wrong.status_code == 200 and "not valid" in str(wrong.context["form"].errors)
    client.get("/")  # still stopped
    _frozen_clock.shift(2)  # past the throttle delay of one wrong code
    right = client.post("/accounts/two-factor/verify/", {"code": current_code(staff), "next": "/volunteers/"})
    assert right["Location"] == "/volunteers/"
    assert client.get("/volunteers/").status_code == 200
    assert client.get("/admin/").status_code == 200
    # A new session key once the second factor is passed.
    assert client.cookies["sessionid"].value != session_key


def test_a_code_works_once(client):
    staff = StaffFactory()
    device = totp_device(staff)
    code = totp_code(device)
    client.post("/accounts/login/", {"username": staff.username, "password": PASSWORD})
    assert client.post("/accounts/two-factor/verify/", {"code": code})["Location"] == "/"
    other = type(client)()
    other.post("/accounts/login/", {"username": staff.username, "password": PASSWORD})
    replay = other.post("/accounts/two-factor/verify/", {"code": code})
    assert replay.status_code == 200 and replay.context["form"].errors


def test_wrong_codes_are_throttled(client, _frozen_clock):
    staff = StaffFactory()
    totp_device(staff)
    client.post("/accounts/login/", {"username": staff.username, "password": PASSWORD})
    for _ in range(3):
        _frozen_clock.shift(10)
        client.post("/accounts/two-factor/verify/", {"code": "000000"})
    # Three failures: the next try must wait 4 seconds, even with the right code.
    refused = client.post("/accounts/two-factor/verify/", {"code": current_code(staff)})
    assert refused.status_code == 200
    assert "Too many wrong codes" in str(refused.context["form"].errors)
    _frozen_clock.shift(5)
    assert client.post("/accounts/two-factor/verify/", {"code": current_code(staff)})["Location"] == "/"


def test_a_recovery_code_signs_in_once(client, _frozen_clock):
    user = administrator()
    client.post("/accounts/login/", {"username": user.username, "password": PASSWORD})
    codes = enrol(client)
    client.post("/accounts/logout/")

    client.post("/accounts/login/", {"username": user.username, "password": PASSWORD})
    used = client.post("/accounts/two-factor/verify/", {"code": codes[3].upper().replace("-", " ")})
    assert used["Location"] == "/"
    assert "9 left" in client.get("/").content.decode()
    client.post("/accounts/logout/")

    client.post("/accounts/login/", {"username": user.username, "password": PASSWORD})
    _frozen_clock.shift(2)
    again = client.post("/accounts/two-factor/verify/", {"code": codes[3]})
    assert again.status_code == 200 and again.context["form"].errors
    assert client.get("/")["Location"].startswith("/accounts/two-factor/verify/")


@pytest.mark.parametrize("role", [MembershipRole.OFFICER, MembershipRole.VIEWER])
def test_officers_and_viewers_without_a_device_are_not_asked(client, role):
    user = MembershipFactory(role=role).user
    response = client.post("/accounts/login/", {"username": user.username, "password": PASSWORD})
    assert client.get(response["Location"]).status_code == 200
    assert client.get("/volunteers/").status_code == 200
    assert client.get("/api/v1/organisations").status_code == 200


def test_anyone_may_turn_it_on_and_is_then_asked(client):
    user = UserFactory()
    client.post("/accounts/login/", {"username": user.username, "password": PASSWORD})
    page = client.get("/accounts/two-factor/")
    assert page.context["enabled"] is False
    assert 'href="/accounts/two-factor/enrol/"' in page.content.decode()
    enrol(client)
    assert client.get("/accounts/two-factor/").context["codes_left"] == 10
    client.post("/accounts/logout/")

    client.post("/accounts/login/", {"username": user.username, "password": PASSWORD})
    assert client.get("/")["Location"] == "/accounts/two-factor/verify/?next=%2F"


def test_regenerate_needs_a_code_from_the_app_and_replaces_the_codes(client, _frozen_clock):
    user = UserFactory()
    client.force_login(user)
    old = enrol(client)
    _frozen_clock.shift(30)
    refused = client.post("/accounts/two-factor/recovery-codes/", {"code": "000000"}, follow=True)
    assert "not valid" in refused.content.decode()
    _frozen_clock.shift(2)
    response = client.post("/accounts/two-factor/recovery-codes/", {"code": current_code(user)})
    new = response.context["codes"]
    assert len(new) == 10 and not set(new) & set(old)
    assert client.get("/accounts/two-factor/").context["codes_left"] == 10
    assert Notification.objects.filter(user=user, verb="recovery_codes_new").exists()


def test_removing_needs_a_code_and_sends_an_administrator_back_to_enrol(client, _frozen_clock):
    user = administrator()
    client.force_login(user)
    assert client.get("/accounts/two-factor/").context["enabled"] is True
    refused = client.post("/accounts/two-factor/remove/", {"code": "000000"}, follow=True)
    assert "not valid" in refused.content.decode()
    assert TOTPDevice.objects.filter(user=user).exists()
    _frozen_clock.shift(2)
    client.post("/accounts/two-factor/remove/", {"code": current_code(user)})
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert Notification.objects.filter(user=user, verb="two_factor_off").exists()
    assert client.get("/")["Location"].startswith("/accounts/two-factor/enrol/")


def test_next_never_leaves_the_site(client):
    staff = StaffFactory()
    totp_device(staff)
    client.post("/accounts/login/", {"username": staff.username, "password": PASSWORD})
    response = client.post("/accounts/two-factor/verify/",
                           {"code": current_code(staff), "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_an_api_token_is_not_affected_and_an_unverified_session_does_not_help_a_bad_token(client):
    staff = StaffFactory()
    totp_device(staff)
    key = ApiToken.generate()
    ApiToken.objects.create(user=staff, name="t", key_hash=ApiToken.hash(key), prefix=key[:8])
    assert client.get("/api/v1/organisations", headers={"Authorization": f"Bearer {key}"}).status_code == 200

    client.post("/accounts/login/", {"username": staff.username, "password": PASSWORD})
    assert client.get("/api/v1/organisations").status_code == 403
    assert client.get("/api/v1/organisations",
                      headers={"Authorization": f"Bearer {key}"}).status_code == 200
    bad = client.get("/api/v1/organisations", headers={"Authorization": "Bearer rcp_wrong"})
    assert bad.status_code == 401


def test_force_login_in_tests_passes_the_second_factor_of_staff(client):
    client.force_login(StaffFactory())
    assert client.get("/admin/").status_code == 200
    unverified = type(client)()
    unverified.force_login(StaffFactory(), two_factor=False)
    assert unverified.get("/admin/")["Location"].startswith("/accounts/two-factor/enrol/")
