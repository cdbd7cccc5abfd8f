"""Health endpoints for the proxy, the orchestrator and the monitoring (docs/deploy.md).

`/healthz`: the process answers (liveness; touches nothing else, so a slow database never gets a
healthy web process restarted). `/readyz`: this process can serve (readiness): the database
answers, no migration is waiting, and, when `REDIS_URL` is set, Redis answers and at least one
Celery worker replies to a ping. 200 when every check passes, 503 naming the failing checks.

Both are answered by `HealthCheckMiddleware`, first in MIDDLEWARE, before the HTTPS redirect,
the host check, sessions, the second-factor and session-timeout middlewares: a load balancer
probes over plain HTTP with an internal address as host, and a probe must never create a session
or be redirected to a sign-in page. They are outside /api/, so no rate limit counts them. The
answers name checks and error classes only: no personal data, no settings, no host names.
"""

from collections.abc import Callable

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

PROBE_TIMEOUT_SECONDS = 2.0

# Migrations only ever become unapplied when new code is deployed, i.e. in a new process: once
# this process has seen them all applied, it does not read the migration files again.
_migrations_seen_applied = False


def check_database() -> str | None:
    try:
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # noqa: BLE001 - any failure means "not ready", named by class
        return type(exc).__name__
    return None


def check_migrations() -> str | None:
    global _migrations_seen_applied
    if _migrations_seen_applied:
        return None
    try:
        connection = connections[DEFAULT_DB_ALIAS]
        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except Exception as exc:  # noqa: BLE001
        return type(exc).__name__
    if plan:
        return f"{len(plan)} unapplied migration(s)"
    _migrations_seen_applied = True
    return None


def check_redis(url: str) -> str | None:
    import redis

    try:
        client = redis.Redis.from_url(url, socket_timeout=PROBE_TIMEOUT_SECONDS,
                                      socket_connect_timeout=PROBE_TIMEOUT_SECONDS)
        try:
            client.ping()
        finally:
            client.close()
    except Exception as exc:  # noqa: BLE001
        return type(exc).__name__
    return None


def check_worker() -> str | None:
    from reciprocity.celery import app

    try:
        replies = app.control.ping(timeout=PROBE_TIMEOUT_SECONDS)
    except Exception as exc:  # noqa: BLE001
        return type(exc).__name__
    return None if replies else "no worker replied"


def readiness() -> dict[str, str]:
    """Each check's result: "ok" or a short reason."""
    checks: dict[str, Callable[[], str | None]] = {
        "database": check_database,
        "migrations": check_migrations,
    }
    redis_url = getattr(settings, "REDIS_URL", "")
    if redis_url:
        checks["redis"] = lambda: check_redis(redis_url)
        checks["worker"] = check_worker
    results: dict[str, str] = {}
    for name, check in checks.items():
        if name == "migrations" and results.get("database") != "ok":
            results[name] = "database unreachable"
            continue
        if name == "worker" and results.get("redis") != "ok":
            results[name] = "redis unreachable"
            continue
        results[name] = check() or "ok"
    return results


@require_safe
@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    return JsonResponse({"status": "ok"})


@require_safe
@never_cache
def readyz(request: HttpRequest) -> HttpResponse:
    results = readiness()
    failing = sorted(name for name, result in results.items() if result != "ok")
    return JsonResponse(
        {"status": "fail" if failing else "ok", "checks": results, "failing": failing},
        status=503 if failing else 200,
    )


ENDPOINTS: dict[str, Callable[[HttpRequest], HttpResponse]] = {
    "/healthz": healthz, "/healthz/": healthz, "/readyz": readyz, "/readyz/": readyz,
}


class HealthCheckMiddleware:
    """Answers GET/HEAD on the health paths before any other middleware runs."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        view = ENDPOINTS.get(request.path_info)
        if view is not None and request.method in {"GET", "HEAD"}:
            return view(request)
        return self.get_response(request)
