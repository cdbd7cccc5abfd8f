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
The version mechanism is core/versioned_cache.py's (one scope, `all`), shared with the menu and
the mission page.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from reciprocity.core.versioned_cache import VersionedCache

CATALOGUE = VersionedCache("catalogue", "CATALOGUE_CACHE_SECONDS")
SCOPES = ["all"]


def timeout() -> int:
    return CATALOGUE.timeout()


def bump() -> None:
    CATALOGUE.bump("all")


def bump_on_commit() -> None:
    """After the change commits: a reader must not cache the old listing under the new version."""
    CATALOGUE.bump_on_commit("all")


def key_for(params: dict[str, Any]) -> str:
    return CATALOGUE.key(SCOPES, params)


def cached(params: dict[str, Any], render: Callable[[], str]) -> str:
    """`render()`, or its result cached under these params, the language and the version."""
    return str(CATALOGUE.cached(SCOPES, params, render))
