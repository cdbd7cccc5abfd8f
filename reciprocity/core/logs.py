"""Structured logs with a request id (docs/deploy.md "Logs").

- `RequestIdMiddleware` (first in MIDDLEWARE) gives every request an id: the incoming
  `X-Request-ID` when it is well-formed (the proxy's, so its access log and ours share it), else a
  new random one; the response carries it back in `X-Request-ID` (gunicorn's access log prints it).
- `RequestIdFilter` adds it to every log record made while the request is served (`-` outside
  one), and to the Celery tasks the request queued: the id travels in the task message's headers
  and the worker logs under it (`task_id` too).
- `JsonFormatter` writes one JSON object a line (`LOG_FORMAT=json`, the default in production);
  `LOG_FORMAT=text` (the local default) keeps readable lines with the id in brackets.
"""

from __future__ import annotations

import contextvars
import datetime
import json
import logging
import re
import traceback
import uuid
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse

HEADER = "X-Request-ID"
# What a proxy or a client may send: letters, digits and - _ . : / + = (UUIDs, Caddy's and
# nginx's ids, cloud trace ids), 8 to 128 of them. Anything else is replaced, never logged as is.
VALID_ID = re.compile(r"[A-Za-z0-9._:/+=-]{8,128}")

request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")
current_task_id: contextvars.ContextVar[str] = contextvars.ContextVar("task_id", default="")


def new_request_id() -> str:
    return uuid.uuid4().hex


def accepted_request_id(incoming: str | None) -> str:
    """The incoming id when well-formed, else a new one."""
    if incoming and VALID_ID.fullmatch(incoming):
        return incoming
    return new_request_id()


class RequestIdMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        rid = accepted_request_id(request.headers.get(HEADER))
        request.request_id = rid  # type: ignore[attr-defined]
        token = request_id.set(rid)
        try:
            response = self.get_response(request)
        finally:
            request_id.reset(token)
        response[HEADER] = rid
        return response


class RequestIdFilter(logging.Filter):
    """Adds `request_id` (and `task_id` inside a Celery task) to every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = request_id.get()
        if not hasattr(record, "task_id"):
            record.task_id = current_task_id.get()
        return True


# LogRecord's own attributes: everything else on a record came from `extra=` and is kept.
_STANDARD = frozenset(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {
    "message", "asctime", "request_id", "task_id", "request", "server_time",
}


def _jsonable(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    return str(value)


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time (UTC, ISO 8601), level, logger, message, request_id,
    task_id when in a task, the `extra=` fields, and the exception's traceback if any."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.datetime.fromtimestamp(record.created, tz=datetime.UTC)
            .isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", request_id.get()),
        }
        task = getattr(record, "task_id", "")
        if task:
            entry["task_id"] = task
        request = getattr(record, "request", None)
        if isinstance(request, HttpRequest):
            entry["method"], entry["path"] = request.method, request.path
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                entry[key] = _jsonable(value)
        if record.exc_info:
            entry["exception"] = "".join(traceback.format_exception(*record.exc_info)).rstrip()
        elif record.exc_text:
            entry["exception"] = record.exc_text
        if record.stack_info:
            entry["stack"] = record.stack_info
        return json.dumps(entry, ensure_ascii=False, default=str)


# --- Celery: the id of the request that queued a task ---------------------------------------


def _before_publish(headers: dict[str, Any] | None = None, **_: Any) -> None:
    rid = request_id.get()
    if headers is not None and rid != "-":
        headers.setdefault("request_id", rid)


_task_tokens: dict[str, tuple[contextvars.Token[str], contextvars.Token[str]]] = {}


def _task_prerun(task_id: str = "", task: Any = None, **_: Any) -> None:
    request = getattr(task, "request", None)
    # A worker finds the message's own headers on the request; `apply(headers=...)` nests them.
    rid = getattr(request, "request_id", None) or (getattr(request, "headers", None) or {}).get(
        "request_id")
    if not isinstance(rid, str) or not VALID_ID.fullmatch(rid):
        rid = request_id.get()  # an eager task runs inside the request itself
    _task_tokens[task_id] = (request_id.set(rid), current_task_id.set(task_id or ""))


def _task_postrun(task_id: str = "", **_: Any) -> None:
    tokens = _task_tokens.pop(task_id, None)
    if tokens is not None:
        try:
            request_id.reset(tokens[0])
            current_task_id.reset(tokens[1])
        except ValueError:  # set in another context (should not happen); leave it
            pass


def connect_celery_signals() -> None:
    from celery import signals

    signals.before_task_publish.connect(_before_publish, weak=False,
                                        dispatch_uid="reciprocity-request-id-publish")
    signals.task_prerun.connect(_task_prerun, weak=False, dispatch_uid="reciprocity-request-id-pre")
    signals.task_postrun.connect(_task_postrun, weak=False,
                                 dispatch_uid="reciprocity-request-id-post")
