"""/metrics: closed (404) unless the client's address or a bearer token is allowed."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _closed(settings):  # type: ignore[no-untyped-def]
    settings.METRICS_ALLOWED_IPS = ""
    settings.METRICS_TOKEN = ""


def test_closed_by_default(client) -> None:  # type: ignore[no-untyped-def]
    assert client.get("/metrics").status_code == 404
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer ").status_code == 404


def test_open_to_an_allowed_network_with_request_counts(client, settings) -> None:  # type: ignore[no-untyped-def]
    settings.METRICS_ALLOWED_IPS = "10.0.0.0/8, 127.0.0.1"
    client.get("/healthz")
    response = client.get("/metrics")  # the test client comes from 127.0.0.1
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    body = response.content.decode()
    assert "django_http_requests_total_by_method_total" in body
    assert "django_http_responses_total_by_status_total" in body
    assert not response.cookies
    assert client.get("/metrics", REMOTE_ADDR="10.1.2.3").status_code == 200
    assert client.get("/metrics", REMOTE_ADDR="192.0.2.1").status_code == 404


def test_open_with_the_token_only(client, settings) -> None:  # type: ignore[no-untyped-def]
    settings.METRICS_TOKEN = "s3cret-token-for-prometheus"  # noqa: S105
    ok = client.get("/metrics", HTTP_AUTHORIZATION="Bearer s3cret-token-for-prometheus")
    assert ok.status_code == 200
    for header in ("Bearer wrong", "Basic s3cret-token-for-prometheus", ""):
        assert client.get("/metrics", HTTP_AUTHORIZATION=header).status_code == 404


def test_no_https_redirect_host_check_or_session_for_an_allowed_scraper(client, settings) -> None:  # type: ignore[no-untyped-def]
    settings.SECURE_SSL_REDIRECT = True
    settings.ALLOWED_HOSTS = ["reciprocity.example.org"]
    settings.METRICS_ALLOWED_IPS = "127.0.0.1"
    response = client.get("/metrics", HTTP_HOST="10.0.0.7:8000")
    assert response.status_code == 200 and not response.cookies


def test_post_is_not_answered(client, settings) -> None:  # type: ignore[no-untyped-def]
    settings.METRICS_ALLOWED_IPS = "127.0.0.1"
    assert client.post("/metrics").status_code in (403, 404)
