"""The public catalogue's body, rendered once per query string and language.

The catalogue (`/missions/`) shows published missions to everyone alike, anonymous or signed in:
its body (the filter form with its pickers and errors, the count, the table, the pages and the
export links) depends only on the query string and the language, so one rendering serves every
reader, and a warm request builds no form at all (its pickers and widgets were most of the
page's cost: bench/load/README.md). The key holds those and a **version** number bumped after
each committed change of a mission by the services (edit, publish, close, cancel, duplicate),
after any save or delete of a mission (admin, imports), and of the hosts, schemes and
programmes the table names and the pickers list: a published or edited mission is listed on the
next request. What the version does not follow is "places left", which placements change: an
entry lives `CATALOGUE_CACHE_SECONDS` (60 by default with Redis), so that figure may lag by that
much; applying is checked against the live count anyway.

As for the balance figures (balance/caching.py), caching is on only with a cache every process
shares (Redis): with Django's per-process memory cache a worker could not invalidate the others.
The version mechanism is core/versioned_cache.py's (one scope, `all`), shared with the menu and
the mission page."""

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
