"""The public catalogue's results, rendered once per filters, page and language.

The catalogue (`/missions/`) shows published missions to everyone alike, anonymous or signed in:
its results (count, table, pages) depend only on the filters, the page number and the language,
so one rendering serves every reader. The key holds those and a **version** number bumped after
each committed change of a mission by the services (edit, publish, close, cancel, duplicate) and
after any save or delete of a mission (admin, imports): a published or edited mission is listed
on the next request. What the version does not follow is "places left", which placements change:
an entry lives `CATALOGUE_CACHE_SECONDS` (60 by default with Redis), so that figure may lag by
that much; applying is checked against the live count anyway.

As for the balance figures (balance/caching.py), caching is on only with a cache every process
shares (Redis): with Django's per-process memory cache a worker could not invalidate the others.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils.translation import get_language

VERSION_KEY = "catalogue:version"


def timeout() -> int:
    return int(getattr(settings, "CATALOGUE_CACHE_SECONDS", 0))


def version() -> int:
    value = cache.get(VERSION_KEY)
    if value is None:
        cache.add(VERSION_KEY, 1, None)
        value = cache.get(VERSION_KEY) or 1
    return int(value)


def bump() -> None:
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # missing: no entry can be read under a missing version
        cache.add(VERSION_KEY, 1, None)


def bump_on_commit() -> None:
    """After the change commits: a reader must not cache the old listing under the new version."""
    transaction.on_commit(bump)


def key_for(params: dict[str, Any]) -> str:
    raw = json.dumps({"lang": get_language(), "params": params}, sort_keys=True, default=str)
    return f"catalogue:{version()}:{hashlib.sha256(raw.encode()).hexdigest()[:32]}"


def cached(params: dict[str, Any], render: Callable[[], str]) -> str:
    """`render()`, or its result cached under these params, the language and the version."""
    seconds = timeout()
    if seconds <= 0:
        return render()
    key = key_for(params)
    html = cache.get(key)
    if html is None:
        html = render()
        cache.set(key, html, seconds)
    return str(html)
