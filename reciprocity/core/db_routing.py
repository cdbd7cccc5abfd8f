"""Reads of the report and balance pages from a PostgreSQL streaming replica (docs/scaling.md).

With `DATABASE_REPLICA_URL` set, the settings add a `replica` database alias and this router.
Nothing goes to the replica by default: only code running inside `reading_from_replica()` (a
context manager and a view decorator, applied to the balance pages and the annual report) reads
from it, and only where a few seconds of replication lag cannot hurt:

- every write, and every read meant for a write (`select_for_update`), goes to the primary;
- once the code inside the context has written anything, the rest of it reads the primary
  (read-your-own-writes within a request);
- a browser that sent a write (POST, PUT, PATCH, DELETE) reads the primary for
  `REPLICA_STICKY_SECONDS` afterwards (`ReplicaStickyMiddleware`, a cookie), so the page it is
  redirected to shows what it just did;
- inside a transaction on the primary, reads stay on the primary (a consistent snapshot);
- sessions, accounts, second factors, lockouts and the audit log never come from the replica: a
  signed-out session or a revoked membership must take effect at once.

`REPLICA_DATABASE` (the alias, empty without a replica) is read at each decision, so the tests
turn replica reads off for every test not marked `replica` (conftest.py).
"""

from __future__ import annotations

import contextvars
import functools
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar, cast

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Model
from django.http import HttpRequest, HttpResponse

#: Apps whose rows are never read from the replica (auth, sessions, security, audit).
PRIMARY_ONLY_APPS = frozenset({
    "accounts", "auth", "sessions", "contenttypes", "admin", "axes", "otp_totp", "otp_static",
    "django_otp", "audit", "auditlog",
})
STICKY_COOKIE = "reciprocity_primary_until"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


class _State:
    """One `reading_from_replica()` block: whether it may read the replica, and whether it wrote."""

    __slots__ = ("pinned", "wrote")

    def __init__(self, *, pinned: bool) -> None:
        self.pinned = pinned
        self.wrote = False


_state: contextvars.ContextVar[_State | None] = contextvars.ContextVar("replica_reads", default=None)
# Set by ReplicaStickyMiddleware for the request being served: this client wrote a moment ago.
_pinned: contextvars.ContextVar[bool] = contextvars.ContextVar("replica_pinned", default=False)


def replica_alias() -> str:
    """The replica's alias, or "" when none is configured (or the tests turned it off)."""
    return str(getattr(settings, "REPLICA_DATABASE", "") or "")


@contextmanager
def reading_from_replica() -> Iterator[None]:
    """Reads inside the block may come from the replica (see the module's docstring)."""
    token = _state.set(_State(pinned=_pinned.get()))
    try:
        yield
    finally:
        _state.reset(token)


F = TypeVar("F", bound=Callable[..., Any])


def reads_from_replica(view: F) -> F:
    """View decorator: the view's reads may come from the replica."""

    @functools.wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with reading_from_replica():
            return view(*args, **kwargs)

    # A marker on the function object, read by the tests and the sweep; functions accept any
    # attribute but mypy knows only the declared ones.
    wrapper.reads_from_replica = True  # type: ignore[attr-defined]
    return cast(F, wrapper)  # functools.wraps keeps the signature F describes


def read_db() -> str:
    """The alias a read made now would use (for raw SQL: `connections[read_db()]`)."""
    return _read_alias(None) or DEFAULT_DB_ALIAS


def _read_alias(model: type[Model] | None) -> str | None:
    alias = replica_alias()
    state = _state.get()
    if not alias or state is None or state.pinned or state.wrote:
        return None
    if model is not None and model._meta.app_label in PRIMARY_ONLY_APPS:
        return None
    if connections[DEFAULT_DB_ALIAS].in_atomic_block:
        return None
    return alias


class ReplicaRouter:
    """Django database router (settings.DATABASE_ROUTERS)."""

    def db_for_read(self, model: type, **hints: Any) -> str | None:
        return _read_alias(model)

    def db_for_write(self, model: type, **hints: Any) -> str:
        state = _state.get()
        if state is not None:
            state.wrote = True
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        # The replica is a copy of the primary: an object read from either relates to any other.
        return True

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        # The replica replays the primary's schema; nothing is ever migrated on it.
        return db == DEFAULT_DB_ALIAS


class ReplicaStickyMiddleware:
    """After a write request, this browser reads the primary for `REPLICA_STICKY_SECONDS`.

    The cookie holds an expiry time only; a client that forges it merely reads the primary."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not replica_alias():
            return self.get_response(request)
        now = time.time()
        try:
            pinned = float(request.COOKIES.get(STICKY_COOKIE, "0")) > now
        except ValueError:
            pinned = False
        token = _pinned.set(pinned)
        try:
            response = self.get_response(request)
        finally:
            _pinned.reset(token)
        if request.method not in SAFE_METHODS:
            seconds = int(getattr(settings, "REPLICA_STICKY_SECONDS", 15))
            response.set_cookie(
                STICKY_COOKIE, str(int(now + seconds)), max_age=seconds, httponly=True,
                samesite="Lax", secure=bool(getattr(settings, "SESSION_COOKIE_SECURE", False)))
        return response
