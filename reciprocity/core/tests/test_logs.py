"""Request ids (X-Request-ID in and out, on every log line and in the tasks a request queues)
and the JSON log format."""

import io
import json
import logging
import re

import pytest
from celery.signals import task_prerun
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory

from reciprocity.core import tasks
from reciprocity.core.logs import (
    JsonFormatter,
    RequestIdFilter,
    RequestIdMiddleware,
    accepted_request_id,
    request_id,
)


@pytest.fixture
def captured():  # type: ignore[no-untyped-def]
    """A logger writing JSON lines into a buffer through the project's filter and formatter."""
    buffer = io.StringIO()
    handler = logging.StreamHandler(buffer)
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("reciprocity.tests.logs")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    yield logger, buffer
    logger.removeHandler(handler)


def lines(buffer: io.StringIO) -> list[dict]:
    return [json.loads(line) for line in buffer.getvalue().splitlines()]


def test_a_new_id_for_each_request_without_one_sent_back_in_the_response(client) -> None:  # type: ignore[no-untyped-def]
    first = client.get("/healthz")["X-Request-ID"]
    second = client.get("/healthz")["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", first) and first != second


def test_a_well_formed_incoming_id_is_kept(client) -> None:  # type: ignore[no-untyped-def]
    rid = "caddy-7b1f0c2e-4a9d-4f7e-9a51-0e8a8c3f2d11"
    assert client.get("/healthz", HTTP_X_REQUEST_ID=rid)["X-Request-ID"] == rid


@pytest.mark.parametrize("bad", ["short", "x" * 129, "has space 123456", "line\nbreak12345",
                                 '{"json": 1234}', "é" * 10, ""])
def test_a_malformed_incoming_id_is_replaced(bad: str) -> None:
    replaced = accepted_request_id(bad)
    assert replaced != bad and re.fullmatch(r"[0-9a-f]{32}", replaced)


def test_every_log_line_of_a_request_carries_its_id(captured) -> None:  # type: ignore[no-untyped-def]
    logger, buffer = captured

    def view(request: HttpRequest) -> HttpResponse:
        logger.info("placing %d volunteers", 3, extra={"run": 12})
        return HttpResponse("ok")

    request = RequestFactory().get("/x/", HTTP_X_REQUEST_ID="req-0123456789")
    response = RequestIdMiddleware(view)(request)
    logger.warning("after the request")
    first, after = lines(buffer)
    assert response["X-Request-ID"] == "req-0123456789"
    assert first["request_id"] == "req-0123456789" and first["message"] == "placing 3 volunteers"
    assert first["run"] == 12 and first["level"] == "INFO"
    assert first["logger"] == "reciprocity.tests.logs" and first["time"].endswith("Z")
    assert after["request_id"] == "-"


def test_json_lines_hold_the_exception_and_the_request(captured) -> None:  # type: ignore[no-untyped-def]
    logger, buffer = captured
    try:
        raise ValueError("boom")
    except ValueError:
        logger.exception("failed", extra={"request": RequestFactory().post("/balance/")})
    (line,) = lines(buffer)
    assert line["level"] == "ERROR" and line["method"] == "POST" and line["path"] == "/balance/"
    assert "ValueError: boom" in line["exception"] and "request" not in line


def test_a_task_runs_under_the_id_of_the_request_that_queued_it() -> None:
    seen: list[str] = []

    def record(**kwargs: object) -> None:
        seen.append(request_id.get())

    task_prerun.connect(record, weak=False)
    try:
        # On a worker the id arrives in the message's headers (before_task_publish puts it there).
        tasks.ping.apply(headers={"request_id": "req-from-the-web-1"}).get()
        # Eagerly, inside the request itself.
        token = request_id.set("req-eager-000001")
        try:
            tasks.ping.delay().get()
        finally:
            request_id.reset(token)
    finally:
        task_prerun.disconnect(record)
    assert seen == ["req-from-the-web-1", "req-eager-000001"]
    assert request_id.get() == "-"


def test_the_publish_hook_puts_the_id_in_the_headers() -> None:
    from reciprocity.core.logs import _before_publish

    headers: dict[str, str] = {}
    _before_publish(headers=headers)
    assert headers == {}
    token = request_id.set("req-abcdef123")
    try:
        _before_publish(headers=headers)
    finally:
        request_id.reset(token)
    assert headers == {"request_id": "req-abcdef123"}
