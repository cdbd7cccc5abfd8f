"""The replica router's decisions (no replica needed: the router is asked directly).

The end-to-end test against a real streaming replica is test_replica.py (marker `replica`)."""

import time

import pytest
from django.contrib.sessions.models import Session
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory
from django.urls import URLPattern, get_resolver

from reciprocity.accounts.models import User
from reciprocity.balance import urls as balance_urls
from reciprocity.core import db_routing
from reciprocity.core.db_routing import (
    STICKY_COOKIE,
    ReplicaRouter,
    ReplicaStickyMiddleware,
    read_db,
    reading_from_replica,
)
from reciprocity.placements.models import Placement

router = ReplicaRouter()


@pytest.fixture
def replica(settings):  # type: ignore[no-untyped-def]
    settings.REPLICA_DATABASE = "replica"
    settings.REPLICA_STICKY_SECONDS = 15


def test_without_a_replica_every_read_is_on_the_primary(settings) -> None:  # type: ignore[no-untyped-def]
    settings.REPLICA_DATABASE = ""
    with reading_from_replica():
        assert router.db_for_read(Placement) is None
        assert read_db() == "default"


def test_reads_go_to_the_replica_only_inside_the_block(replica) -> None:  # type: ignore[no-untyped-def]
    assert router.db_for_read(Placement) is None
    with reading_from_replica():
        assert router.db_for_read(Placement) == "replica"
        assert read_db() == "replica"
    assert router.db_for_read(Placement) is None
    assert read_db() == "default"


def test_accounts_and_sessions_are_always_read_from_the_primary(replica) -> None:  # type: ignore[no-untyped-def]
    with reading_from_replica():
        assert router.db_for_read(User) is None
        assert router.db_for_read(Session) is None


def test_after_a_write_the_block_reads_the_primary(replica) -> None:  # type: ignore[no-untyped-def]
    with reading_from_replica():
        assert router.db_for_read(Placement) == "replica"
        assert router.db_for_write(Placement) == "default"
        assert router.db_for_read(Placement) is None
    with reading_from_replica():  # a new block (the next request) starts afresh
        assert router.db_for_read(Placement) == "replica"


def test_writes_always_go_to_the_primary_and_nothing_migrates_on_the_replica(replica) -> None:  # type: ignore[no-untyped-def]
    assert router.db_for_write(Placement) == "default"
    assert router.allow_migrate("default", "placements") is True
    assert router.allow_migrate("replica", "placements") is False


@pytest.mark.django_db
def test_inside_a_transaction_reads_stay_on_the_primary(replica) -> None:  # type: ignore[no-untyped-def]
    # The test runs inside a transaction on the primary, as a view inside atomic() would.
    with reading_from_replica():
        assert router.db_for_read(Placement) is None


def _decision_seen(request: HttpRequest) -> tuple[str | None, HttpResponse]:
    seen: list[str | None] = []

    def view(request: HttpRequest) -> HttpResponse:
        with reading_from_replica():
            seen.append(router.db_for_read(Placement))
        return HttpResponse("ok")

    response = ReplicaStickyMiddleware(view)(request)
    return seen[0], response


def test_a_write_request_pins_the_browser_to_the_primary_for_a_while(replica) -> None:  # type: ignore[no-untyped-def]
    factory = RequestFactory()
    decision, response = _decision_seen(factory.get("/balance/"))
    assert decision == "replica" and STICKY_COOKIE not in response.cookies
    _, response = _decision_seen(factory.post("/placements/1/confirm/"))
    cookie = response.cookies[STICKY_COOKIE]
    assert cookie["max-age"] == 15 and cookie["httponly"]
    assert time.time() < float(cookie.value) <= time.time() + 15
    request = factory.get("/balance/")
    request.COOKIES[STICKY_COOKIE] = cookie.value
    assert _decision_seen(request)[0] is None


def test_an_expired_or_forged_cookie_does_not_pin(replica) -> None:  # type: ignore[no-untyped-def]
    factory = RequestFactory()
    for value in (str(int(time.time()) - 1), "not-a-number", ""):
        request = factory.get("/balance/")
        request.COOKIES[STICKY_COOKIE] = value
        assert _decision_seen(request)[0] == "replica"


def test_without_a_replica_the_middleware_sets_no_cookie(settings) -> None:  # type: ignore[no-untyped-def]
    settings.REPLICA_DATABASE = ""
    _, response = _decision_seen(RequestFactory().post("/x/"))
    assert STICKY_COOKIE not in response.cookies


def test_every_balance_page_reads_from_the_replica() -> None:
    patterns = [p for p in balance_urls.urlpatterns if isinstance(p, URLPattern)]
    assert patterns
    for pattern in patterns:
        assert getattr(pattern.callback, "reads_from_replica", False), pattern.name
    # and nothing outside the reports does by accident
    others = [p for p in get_resolver().url_patterns if isinstance(p, URLPattern)]
    assert not any(getattr(p.callback, "reads_from_replica", False) for p in others)


def test_the_module_names_the_apps_that_never_leave_the_primary() -> None:
    assert {"accounts", "sessions", "audit", "axes"} <= db_routing.PRIMARY_ONLY_APPS
