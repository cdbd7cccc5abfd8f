"""Sessions end after inactivity (30 minutes for staff, 8 hours for others by default) and after
12 hours whatever the activity (OWASP ASVS 3.3)."""

import pytest

from reciprocity.accounts.models import ApiToken, MembershipRole
from reciprocity.accounts.tests.factories import MembershipFactory, StaffFactory

pytestmark = pytest.mark.django_db

MINUTE = 60
HOUR = 3600


def signed_in(client) -> bool:  # type: ignore[no-untyped-def]
    return client.get("/").context["user"].is_authenticated


def test_staff_are_signed_out_after_30_minutes_without_activity(client, _frozen_clock):
    client.force_login(StaffFactory())
    assert client.get("/volunteers/").status_code == 200
    _frozen_clock.shift(29 * MINUTE)
    assert client.get("/volunteers/").status_code == 200
    _frozen_clock.shift(29 * MINUTE)  # activity at 29 minutes counts: 58 minutes in, still in
    assert client.get("/volunteers/").status_code == 200

    _frozen_clock.shift(31 * MINUTE)
    response = client.get("/volunteers/?page=2")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/volunteers/%3Fpage%3D2"
    login_page = client.get(response["Location"]).content.decode()
    assert "signed out after 30 minutes without activity" in login_page
    assert not signed_in(client)


def test_others_keep_their_session_for_8_hours_without_activity(client, _frozen_clock):
    client.force_login(MembershipFactory(role=MembershipRole.OFFICER).user)
    assert client.get("/volunteers/").status_code == 200
    _frozen_clock.shift(7 * HOUR + 58 * MINUTE)
    assert client.get("/volunteers/").status_code == 200
    _frozen_clock.shift(8 * HOUR + 2 * MINUTE)
    assert client.get("/volunteers/")["Location"].startswith("/accounts/login/")


def test_the_limits_are_settings(client, _frozen_clock, settings):
    settings.SESSION_IDLE_TIMEOUT_MINUTES = 5
    client.force_login(MembershipFactory(role=MembershipRole.VIEWER).user)
    client.get("/")
    _frozen_clock.shift(6 * MINUTE)
    assert client.get("/volunteers/")["Location"].startswith("/accounts/login/")


def test_a_session_ends_after_12_hours_even_when_active(client, _frozen_clock):
    client.force_login(MembershipFactory(role=MembershipRole.OFFICER).user)
    client.get("/")
    for _ in range(4):  # active every two hours and a half: never idle
        _frozen_clock.shift(2 * HOUR + 30 * MINUTE)
        assert client.get("/volunteers/").status_code == 200
    _frozen_clock.shift(2 * HOUR + 30 * MINUTE)  # 12.5 hours after signing in
    response = client.get("/volunteers/")
    assert response["Location"].startswith("/accounts/login/")
    assert "session was too old" in client.get(response["Location"]).content.decode()


def test_a_write_after_the_limit_is_not_done_and_goes_to_sign_in(client, _frozen_clock):
    client.force_login(StaffFactory())
    client.get("/")
    _frozen_clock.shift(31 * MINUTE)
    response = client.post("/notifications/read-all/")
    assert response.status_code == 302 and response["Location"] == "/accounts/login/"


def test_the_api_answers_401_in_its_shape_but_a_token_still_works(client, _frozen_clock):
    staff = StaffFactory()
    key = ApiToken.generate()
    ApiToken.objects.create(user=staff, name="t", key_hash=ApiToken.hash(key), prefix=key[:8])
    client.force_login(staff)
    assert client.get("/api/v1/organisations").status_code == 200
    _frozen_clock.shift(31 * MINUTE)
    response = client.get("/api/v1/organisations")
    assert response.status_code == 401
    assert response.json()["code"] == "session_expired"

    client.force_login(staff)  # no request after it: the sign-in itself starts the clock
    _frozen_clock.shift(31 * MINUTE)
    with_token = client.get("/api/v1/organisations", headers={"Authorization": f"Bearer {key}"})
    assert with_token.status_code == 200
    assert not signed_in(client)
