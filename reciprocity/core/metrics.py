"""Prometheus metrics on `/metrics` (django-prometheus), for the monitoring only.

Closed unless configured: the page answers 404, as if it did not exist, except to a client whose
address is in `METRICS_ALLOWED_IPS` (addresses or networks, e.g. `10.0.0.0/8,127.0.0.1`, checked
against REMOTE_ADDR, which a client cannot forge behind a proxy that sets it) or that sends
`Authorization: Bearer <METRICS_TOKEN>`. The figures are counts and timings per view and status,
no personal data; still, they tell an outsider which pages exist and how busy the site is.

Answered by `MetricsMiddleware`, near the top of MIDDLEWARE, like the health probes: a scraper
comes over plain HTTP with an internal address as host, and must never get a session, a redirect
to HTTPS or to the sign-in page. With several gunicorn workers, set `PROMETHEUS_MULTIPROC_DIR`
(docs/deploy.md "Metrics") so that every worker's counters are summed.
"""

from __future__ import annotations

import hmac
import ipaddress
from collections.abc import Callable
from functools import lru_cache

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache

PATHS = frozenset({"/metrics", "/metrics/"})


@lru_cache(maxsize=8)
def _networks(spec: str) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    return tuple(ipaddress.ip_network(part.strip(), strict=False)
                 for part in spec.split(",") if part.strip())


def metrics_allowed(request: HttpRequest) -> bool:
    token = str(getattr(settings, "METRICS_TOKEN", "") or "")
    if token:
        header = request.headers.get("Authorization", "")
        scheme, _, given = header.partition(" ")
        if scheme.lower() == "bearer" and hmac.compare_digest(given.strip().encode(), token.encode()):
            return True
    allowed = str(getattr(settings, "METRICS_ALLOWED_IPS", "") or "")
    if allowed:
        try:
            address = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
        except ValueError:
            return False
        return any(address in network for network in _networks(allowed))
    return False


@never_cache
def metrics(request: HttpRequest) -> HttpResponse:
    if not metrics_allowed(request):
        raise Http404
    from django_prometheus.exports import ExportToDjangoView

    return ExportToDjangoView(request)


class MetricsMiddleware:
    """Answers GET/HEAD /metrics before the HTTPS redirect, the host check and sessions; 404 to
    whoever is not allowed (the not-found page itself comes from the normal stack)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info in PATHS and request.method in {"GET", "HEAD"} \
                and metrics_allowed(request):
            return metrics(request)
        return self.get_response(request)
