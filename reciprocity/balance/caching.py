"""Cached balance figures: per reader's scope, filters and language, invalidated by writes.

The dashboard's datasets and the annual report are sums over the ledger's running totals and
over placements; computing them costs tens of milliseconds a request, while they change only
when the ledger does. They are cached under a key made of:

- the **scope** of the reader: `staff`, or the sorted ids of the organisations they belong to
  (what `agreements_visible_to` and the disclosure rules read). Two readers share an entry only
  when they would see exactly the same figures; a reader of one organisation can never be
  served the figures computed for another;
- the filters and the active language (country names and titles are translated);
- a **version** number (core/versioned_cache.py, the menu's and the catalogue's mechanism),
  bumped after every commit that appends to the ledger (or rebuilds its totals) and after a
  placement or an agreement is saved, so a write is visible on the next request. Old entries
  are never deleted: they are no longer read and expire.

Caching is on when the cache is shared by every process (Redis, `REDIS_URL`): with Django's
per-process memory cache, a write served by one worker could not invalidate the others. The
setting `BALANCE_CACHE_SECONDS` (0 turns it off) overrides that choice.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from reciprocity.accounts.selectors import AnyUser, is_platform_staff, member_organisation_ids
from reciprocity.core.versioned_cache import VersionedCache

T = TypeVar("T")
# One version for every entry (scope `all`, core/versioned_cache.py): a ledger write changes
# figures that every reader's entries may hold.
BALANCE = VersionedCache("balance", "BALANCE_CACHE_SECONDS")
SCOPES = ["all"]


def timeout() -> int:
    return BALANCE.timeout()


def bump() -> None:
    """Make every cached figure stale (after a ledger write has committed)."""
    BALANCE.bump("all")


def bump_on_commit() -> None:
    """Bump once the current transaction commits (at once outside a transaction): a reader must
    not cache the figures of the old ledger under the new version."""
    BALANCE.bump_on_commit("all")


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


def _params(user: AnyUser, name: str, params: dict[str, Any]) -> dict[str, Any]:
    # The reader's scope is part of every key: two readers share an entry only when they would
    # see the same figures.
    return {"scope": scope_of(user), "name": name, "params": params}


def key_for(user: AnyUser, name: str, params: dict[str, Any]) -> str:
    return BALANCE.key(SCOPES, _params(user, name, params))


def cached(user: AnyUser, name: str, params: dict[str, Any], compute: Callable[[], T]) -> T:
    """`compute()`, or its value cached for this reader's scope and these params."""
    if BALANCE.timeout() <= 0:
        return compute()  # not even the scope: it costs a query when the page has no other use
    return BALANCE.cached(SCOPES, _params(user, name, params), compute)
