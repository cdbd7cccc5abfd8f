"""Rate limits of the API (/api/v1/): one per API token, one per client address.

Both are django-ninja throttles (ninja runs them on every operation after authentication and
answers 429 with `Retry-After`), counted in Django's cache with a fixed window: one counter per
key and window, created with `add` and raised with `incr`, which are atomic in Redis and
Memcached (and under locmem's lock), so concurrent workers cannot both take the last request.
ninja's own SimpleRateThrottle keeps a list of timestamps it reads and writes back, which loses
counts between processes. See docs/decisions/0006-api-rate-limits.md.
"""

import functools
import math
import re
import threading
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest
from ninja.throttling import BaseThrottle

_UNITS = {"s": 1, "sec": 1, "second": 1, "m": 60, "min": 60, "minute": 60, "h": 3600,
          "hour": 3600, "d": 86400, "day": 86400}
_RATE = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*([a-z]+?)s?\s*$")


@dataclass(frozen=True)
class Rate:
    limit: int
    window: int  # seconds


@functools.lru_cache(maxsize=32)
def parse_rate(text: str | None) -> Rate | None:
    """`"600/minute"` (also `600/min`, `600/m`, `100/10s`, `5000/hour`, `50000/day`); empty or
    a limit of 0 turns the limit off (None)."""
    if text is None or str(text).strip() in {"", "0"}:
        return None
    match = _RATE.match(str(text).lower())
    if match is None or match.group(3) not in _UNITS:
        raise ImproperlyConfigured(
            f"Invalid API rate limit {text!r}: write it as N/second, N/minute, N/hour or N/day."
        )
    limit = int(match.group(1))
    window = int(match.group(2) or 1) * _UNITS[match.group(3)]
    if limit == 0 or window == 0:
        return None
    return Rate(limit=limit, window=window)


def fixed_window_hit(*, scope: str, ident: str, rate: Rate, now: float) -> int | None:
    """Count one request of `ident` in `scope`: None while within `rate`, else the seconds to
    wait for the next window. Shared by the API's throttles and the account forms' limits
    (accounts/rate_limits.py), so there is one counter implementation."""
    window_start = int(now // rate.window) * rate.window
    key = f"ratelimit:{scope}:{ident}:{rate.window}:{window_start}"
    # The counter outlives its window by a little, never by a whole one.
    cache.add(key, 0, timeout=rate.window + 1)
    try:
        count = cache.incr(key)
    except ValueError:  # evicted between add and incr
        cache.set(key, 1, timeout=rate.window + 1)
        count = 1
    if count <= rate.limit:
        return None
    return max(1, math.ceil(window_start + rate.window - now))


def client_address(request: HttpRequest) -> str | None:
    """The client's address as the API's address limit sees it: REMOTE_ADDR, or the one the
    trusted proxies saw when NINJA_NUM_PROXIES says how many there are (ninja's get_ident)."""
    return _IDENT.get_ident(request) or None


class FixedWindowThrottle(BaseThrottle):
    """Allow `rate.limit` requests per key in each window of `rate.window` seconds. The rate is
    read from the setting at every request, so it can be changed without a restart in tests."""

    setting = ""
    scope = ""

    def __init__(self) -> None:
        # One instance serves every request of the process: the wait of a refused request is
        # kept per thread, between ninja's calls of allow_request() and wait().
        self._local = threading.local()

    def key_for(self, request: HttpRequest) -> str | None:
        raise NotImplementedError

    def allow_request(self, request: HttpRequest) -> bool:
        self._local.wait = None
        rate = parse_rate(getattr(settings, self.setting, None))
        ident = self.key_for(request) if rate is not None else None
        if rate is None or ident is None:
            return True
        self._local.wait = fixed_window_hit(scope=self.scope, ident=ident, rate=rate,
                                            now=time.time())
        return self._local.wait is None

    def wait(self) -> float | None:
        return getattr(self._local, "wait", None)


class TokenRateThrottle(FixedWindowThrottle):
    """Per API token (requests authenticated by a browser session have no token)."""

    setting = "API_RATE_LIMIT_PER_TOKEN"
    scope = "token"

    def key_for(self, request: HttpRequest) -> str | None:
        token = getattr(getattr(request, "user", None), "api_token", None)
        return str(token.pk) if token is not None else None


class AddressRateThrottle(FixedWindowThrottle):
    """Per client address: REMOTE_ADDR, or the address the trusted proxies saw when
    NINJA_NUM_PROXIES says how many there are (ninja's get_ident)."""

    setting = "API_RATE_LIMIT_PER_ADDRESS"
    scope = "address"

    def key_for(self, request: HttpRequest) -> str | None:
        return client_address(request)


# Only its get_ident is used (it reads no state of its own).
_IDENT = BaseThrottle()


def api_throttles() -> list[BaseThrottle]:
    return [TokenRateThrottle(), AddressRateThrottle()]


def document_rate_limits(schema: dict) -> dict:
    """Every operation may answer 429 (with Retry-After): say so in the OpenAPI schema, so that
    clients and schema-driven checks expect it."""
    error = {"$ref": "#/components/schemas/ErrorOut"} if "ErrorOut" in schema.get(
        "components", {}).get("schemas", {}) else {"type": "object"}
    too_many = {
        "description": "Too many requests: the token's or the address's rate limit is reached.",
        "headers": {"Retry-After": {"description": "Seconds to wait before trying again.",
                                    "schema": {"type": "integer"}}},
        "content": {"application/json": {"schema": error}},
    }
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            if isinstance(operation, dict) and "responses" in operation:
                operation["responses"].setdefault(429, too_many)
    return schema
