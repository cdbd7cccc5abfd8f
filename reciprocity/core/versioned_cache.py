"""Cached values invalidated by version numbers: the mechanism of balance/caching.py and the
catalogue's missions/caching.py, for caches whose entries belong to one user or one object.

An entry is stored with the **versions** of the scopes it depends on (say `all` and `user:42`)
as they were read before it was computed; a write that changes what the entry shows bumps the
scope's version after it commits, so the next read finds the versions moved and recomputes.
The versions and the entry are read together, in one cache round trip: on this kind of machine
a round trip to Redis costs more CPU than the rest of a warm read (issue 14's profile), and an
entry's key therefore holds its parameters, language and release but not the versions.

Per-object scopes are many (one per user, one per mission), so their version keys expire too
(`VERSION_SECONDS`, longer than any entry). A version starts at a random number rather than 1:
a scope whose version key has expired starts again from a number no entry was ever stored under,
so a stale entry can never be read back.

Caching is on only when the setting named by `setting` is above 0 (by default only with Redis,
which every process shares: with Django's per-process memory cache, a write served by one
worker could not invalidate the others).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import get_language

from reciprocity.core.release import release

T = TypeVar("T")
# Pages cached per query string render longer ones each time: no link anyone shares is that long
# (a 100-character search and every filter fit), and each would be an entry of its own.
MAX_CACHED_QUERY = 1000
# A version key outlives every entry stored under it (entries live minutes).
VERSION_SECONDS = 7 * 24 * 3600


@dataclass(frozen=True)
class VersionedCache:
    # Prefix of every key; one per cache ("menu", "mission-page").
    name: str
    # The setting giving the entries' lifetime in seconds (0: caching off).
    setting: str

    def timeout(self) -> int:
        return int(getattr(settings, self.setting, 0))

    def _version_key(self, scope: str) -> str:
        return f"{self.name}:v:{scope}"

    def versions(self, scopes: Sequence[str], found: dict[str, Any] | None = None) -> list[int]:
        """The current version of each scope, in one cache round trip when all are known (none
        when `found` already holds them)."""
        keys = [self._version_key(scope) for scope in scopes]
        if found is None:
            found = cache.get_many(keys)
        values = []
        for key in keys:
            value = found.get(key)
            if value is None:
                # add(): if another process set it meanwhile, theirs wins and is read back.
                cache.add(key, secrets.randbits(40), VERSION_SECONDS)
                value = cache.get(key)
            values.append(int(value) if value is not None else 0)
        return values

    def bump(self, scope: str) -> None:
        """Make the scope's entries stale. A missing version needs nothing: the next read starts
        a fresh random one."""
        with contextlib.suppress(ValueError):  # the key is missing
            cache.incr(self._version_key(scope))

    def bump_on_commit(self, scope: str) -> None:
        """Bump once the current transaction commits (at once outside one): a reader must not
        store the old rows under the new version."""
        transaction.on_commit(partial(self.bump, scope))

    def key(self, scopes: Sequence[str], params: dict[str, Any]) -> str:
        """The entry's key: its scopes, parameters, language and the release (entries rendered
        by the previous code are never served after a deploy), not the scopes' versions."""
        raw = json.dumps({"scopes": list(scopes), "lang": get_language(), "release": release(),
                          "params": params}, sort_keys=True, default=str)
        return f"{self.name}:{hashlib.sha256(raw.encode()).hexdigest()[:40]}"

    def get(self, scopes: Sequence[str], params: dict[str, Any]) -> tuple[Slot, Any]:
        """(where to store it, the cached value or None if absent or of older versions), read
        with the versions in one round trip. Call only when `timeout()` is above 0."""
        key = self.key(scopes, params)
        found = cache.get_many([key, *(self._version_key(scope) for scope in scopes)])
        versions = self.versions(scopes, found)
        entry = found.get(key)
        value = entry[1] if isinstance(entry, tuple) and len(entry) == 2 and \
            entry[0] == versions else None
        return Slot(key, tuple(versions)), value

    def set(self, slot: Slot, value: Any) -> None:
        """Store under the versions read *before* computing the value: a write committed
        meanwhile has moved them, and the next read recomputes."""
        cache.set(slot.key, (list(slot.versions), value), self.timeout())

    def cached(self, scopes: Sequence[str], params: dict[str, Any], compute: Callable[[], T]) -> T:
        """`compute()`, or its value cached under these scopes' versions, params and language."""
        if self.timeout() <= 0:
            return compute()
        slot, value = self.get(scopes, params)
        if value is None:
            value = compute()
            self.set(slot, value)
        return value


@dataclass(frozen=True)
class Slot:
    """Where an entry goes, and the versions it was computed under."""
    key: str
    versions: tuple[int, ...]


def query_key(request: HttpRequest) -> list[tuple[str, list[str]]] | None:
    """The request's query string as part of a cache key (its parameters sorted, so their order
    makes no second entry), or None when it is too long to be worth caching."""
    if len(request.META.get("QUERY_STRING", "")) > MAX_CACHED_QUERY:
        return None
    return sorted(request.GET.lists())
