"""Cached balance figures: per reader's scope, filters and language, invalidated by writes.

The dashboard's datasets and the annual report are sums over the ledger's running totals and
over placements; computing them costs tens of milliseconds a request, while they change only
when the ledger does. They are cached under a key made of:

- the **scope** of the reader: `staff`, or the sorted ids of the organisations they belong to
  (what `agreements_visible_to` and the disclosure rules read). Two readers share an entry only
  when they would see exactly the same figures; a reader of one organisation can never be
  served the figures computed for another;
- the filters and the active language (country names and titles are translated);
- a **version** number, bumped after every commit that appends to the ledger (or rebuilds its
  totals) and after a placement or an agreement is saved, so a write is visible on the next
  request. Old entries are never deleted: they are no longer read and expire.

Caching is on when the cache is shared by every process (Redis, `REDIS_URL`): with Django's
per-process memory cache, a write served by one worker could not invalidate the others. The
setting `BALANCE_CACHE_SECONDS` (0 turns it off) overrides that choice.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils.translation import get_language

from reciprocity.accounts.selectors import AnyUser, is_platform_staff, member_organisation_ids

T = TypeVar("T")
VERSION_KEY = "balance:version"


def timeout() -> int:
    return int(getattr(settings, "BALANCE_CACHE_SECONDS", 0))


def version() -> int:
    value = cache.get(VERSION_KEY)
    if value is None:
        # First read (or the cache was flushed): any number not used since is as good.
        cache.add(VERSION_KEY, 1, None)
        value = cache.get(VERSION_KEY) or 1
    return int(value)


def bump() -> None:
    """Make every cached figure stale (after a ledger write has committed)."""
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # the key is missing: no entry can be read under a missing version
        cache.add(VERSION_KEY, 1, None)


def bump_on_commit() -> None:
    """Bump once the current transaction commits (at once outside a transaction): a reader must
    not cache the figures of the old ledger under the new version."""
    transaction.on_commit(bump)


def scope_of(user: AnyUser) -> str:
    # Kept on the user object, which lives for one request: a page asks several keys (figures,
    # rendered tables) and must not query the memberships for each.
    scope = getattr(user, "_balance_cache_scope", None)
    if scope is None:
        if is_platform_staff(user):
            scope = "staff"
        else:
            scope = "orgs:" + ",".join(str(pk) for pk in sorted(member_organisation_ids(user)))
        user._balance_cache_scope = scope  # type: ignore[union-attr]  # a per-request memo
    return scope


def sees_exact_figures(user: AnyUser) -> bool:
    """disclosure.sees_exact_figures, read from the scope (staff, or a member of any
    organisation), without another query."""
    return scope_of(user) != "orgs:"


def key_for(user: AnyUser, name: str, params: dict[str, Any]) -> str:
    raw = json.dumps({"scope": scope_of(user), "lang": get_language(), "params": params},
                     sort_keys=True, default=str)
    digest = hashlib.sha256(raw.encode()).hexdigest()[:32]
    return f"balance:{name}:{version()}:{digest}"


def cached(user: AnyUser, name: str, params: dict[str, Any], compute: Callable[[], T]) -> T:
    """`compute()`, or its value cached for this reader's scope and these params."""
    seconds = timeout()
    if seconds <= 0:
        return compute()
    key = key_for(user, name, params)
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, seconds)
    return value
