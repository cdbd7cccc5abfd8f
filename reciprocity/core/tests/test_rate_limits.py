"""API rate limits: per token and per client address, 429 with Retry-After and the JSON shape."""

import datetime

import pytest
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured

from reciprocity.accounts.tests.factories import MembershipFactory, api_token_for
from reciprocity.core.throttling import Rate, parse_rate

pytestmark = pytest.mark.django_db

URL = "/api/v1/organisations"


@pytest.fixture(autouse=True)
def _fresh_counters():
    # Counters live in the process-wide cache and token ids repeat between tests.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def at_window_start(_frozen_clock):
    """Start at the beginning of a minute, so a test's requests share one window."""
    _frozen_clock.move_to(datetime.datetime(2026, 11, 26, 9, 0, 0, tzinfo=datetime.UTC))
    return _frozen_clock


def get(client, key: str | None = None, address: str = "203.0.113.7"):  # type: ignore[no-untyped-def]
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    return client.get(URL, headers=headers, REMOTE_ADDR=address)


def test_the_token_limit_answers_429_with_retry_after_and_spares_other_tokens(
        client, settings, at_window_start):
    settings.API_RATE_LIMIT_PER_TOKEN = "3/minute"
    user = MembershipFactory().user
    key, other = api_token_for(user), api_token_for(user)

    assert [get(client, key).status_code for _ in range(3)] == [200, 200, 200]
    refused = get(client, key)
    assert refused.status_code == 429
    assert set(refused.json()) == {"code", "message", "details"}
    assert refused.json()["code"] == "rate_limited"
    retry_after = int(refused["Retry-After"])
    assert 1 <= retry_after <= 60 and refused.json()["details"] == {"retry_after": retry_after}
    # Another token of the same user, from the same address, is not affected.
    assert get(client, other).status_code == 200

    # The next window lets the token in again.
    at_window_start.shift(datetime.timedelta(seconds=retry_after))
    assert get(client, key).status_code == 200


def test_the_address_limit_counts_every_request_of_an_address(client, settings,
                                                                at_window_start):
    settings.API_RATE_LIMIT_PER_ADDRESS = "2/minute"
    user = MembershipFactory().user
    client.force_login(user)  # session requests count too (they carry no token)

    assert get(client, address="198.51.100.1").status_code == 200
    assert get(client, api_token_for(user), address="198.51.100.1").status_code == 200
    refused = get(client, api_token_for(user), address="198.51.100.1")
    assert refused.status_code == 429 and refused.json()["code"] == "rate_limited"
    assert int(refused["Retry-After"]) >= 1
    # Another address is not affected, and neither are public reads from it.
    assert get(client, address="198.51.100.2").status_code == 200
    assert client.get("/api/v1/missions", REMOTE_ADDR="198.51.100.2").status_code == 200


def test_a_forged_forwarded_for_header_does_not_dodge_the_address_limit(client, settings,
                                                                        at_window_start):
    settings.API_RATE_LIMIT_PER_ADDRESS = "1/minute"
    key = api_token_for(MembershipFactory().user)
    assert get(client, key).status_code == 200
    forged = client.get(URL, headers={"Authorization": f"Bearer {key}",
                                      "X-Forwarded-For": "192.0.2.99"}, REMOTE_ADDR="203.0.113.7")
    assert forged.status_code == 429


def test_the_limits_are_off_at_zero(client, settings):
    settings.API_RATE_LIMIT_PER_TOKEN = "0"
    settings.API_RATE_LIMIT_PER_ADDRESS = ""
    key = api_token_for(MembershipFactory().user)
    assert {get(client, key).status_code for _ in range(5)} == {200}


def test_the_schema_documents_429_on_every_operation(client):
    schema = client.get("/api/v1/openapi.json").json()
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            assert "429" in operation["responses"], (method, path)
            assert "Retry-After" in operation["responses"]["429"]["headers"]


@pytest.mark.parametrize(("text", "rate"), [
    ("600/minute", Rate(600, 60)), ("600/min", Rate(600, 60)), ("10/s", Rate(10, 1)),
    ("100/10seconds", Rate(100, 10)), ("5000/hour", Rate(5000, 3600)),
    ("50000/day", Rate(50000, 86400)), ("0/minute", None), ("0", None), ("", None),
])
def test_rates_are_read_from_settings_text(text, rate):
    assert parse_rate(text) == rate


@pytest.mark.parametrize("text", ["600", "600/fortnight", "many/minute", "-1/minute"])
def test_a_malformed_rate_is_a_configuration_error(text):
    with pytest.raises(ImproperlyConfigured):
        parse_rate(text)
