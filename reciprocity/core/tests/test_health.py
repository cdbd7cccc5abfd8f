"""/healthz and /readyz: JSON, no sign-in, before the HTTPS redirect and the sign-in middlewares."""

import pytest
from django.db.migrations.recorder import MigrationRecorder

from reciprocity.accounts.tests.factories import StaffFactory
from reciprocity.core import health

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _forget_migrations_seen():
    health._migrations_seen_applied = False
    yield
    health._migrations_seen_applied = False


def test_healthz_answers_ok_without_session_or_cookie(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]
    assert not response.cookies


def test_readyz_answers_ok_when_database_and_migrations_are_fine(client, settings):
    settings.REDIS_URL = ""
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "migrations": "ok"},
                               "failing": []}


def test_probes_skip_https_redirect_host_check_and_two_factor(client, settings):
    """A load balancer probes over plain HTTP with its own Host; a staff user whose second
    factor is pending still gets the JSON, not a redirect."""
    settings.SECURE_SSL_REDIRECT = True
    settings.ALLOWED_HOSTS = ["reciprocity.example.org"]
    settings.REDIS_URL = ""
    client.force_login(StaffFactory())
    for path in ("/healthz", "/readyz"):
        response = client.get(path, HTTP_HOST="10.0.0.7:8000")
        assert response.status_code == 200, (path, response.status_code)
        assert response.json()["status"] == "ok"


def test_an_unapplied_migration_makes_readyz_fail(client, settings):
    settings.REDIS_URL = ""
    MigrationRecorder.Migration.objects.filter(app="matching").order_by("-id").first().delete()
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "fail"
    assert body["failing"] == ["migrations"]
    assert body["checks"]["migrations"] == "1 unapplied migration(s)"


def test_unreachable_redis_makes_readyz_fail_and_names_it(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["failing"] == ["redis", "worker"]
    assert body["checks"]["database"] == "ok"
    assert body["checks"]["worker"] == "redis unreachable"
    assert "127.0.0.1" not in response.content.decode()


def test_an_unreachable_database_makes_readyz_fail(client, settings, monkeypatch):
    settings.REDIS_URL = ""
    monkeypatch.setattr(health, "check_database", lambda: "OperationalError")
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"] == {"database": "OperationalError",
                                         "migrations": "database unreachable"}


def test_a_missing_worker_makes_readyz_fail(client, settings, monkeypatch):
    settings.REDIS_URL = "redis://127.0.0.1:6379/0"
    monkeypatch.setattr(health, "check_redis", lambda url: None)
    monkeypatch.setattr(health, "check_worker", lambda: "no worker replied")
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["failing"] == ["worker"]


def test_probes_refuse_writes(client):
    assert client.post("/healthz").status_code == 405
