"""Cached values invalidated by version numbers: the mechanism of balance/caching.py and the
catalogue's missions/caching.py, for caches whose entries belong to one user or one object.

An entry's key holds the current **version** of each scope it depends on (say `all` and
`user:42`); a write that changes what the entry shows bumps the scope's version after it commits,
so the next read misses and recomputes. Old entries are never deleted: nobody reads their keys
any more, and they expire.

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

    def versions(self, scopes: Sequence[str]) -> list[int]:
        """The current version of each scope, in one cache round trip when all are known."""
        keys = [self._version_key(scope) for scope in scopes]
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
        versions = self.versions(scopes)
        # The release: entries rendered by the previous code are never served after a deploy.
        raw = json.dumps({"scopes": list(scopes), "versions": versions, "lang": get_language(),
                          "release": release(), "params": params}, sort_keys=True, default=str)
        return f"{self.name}:{hashlib.sha256(raw.encode()).hexdigest()[:40]}"

    def get(self, scopes: Sequence[str], params: dict[str, Any]) -> tuple[str, Any]:
        """(key, cached value or None). Call only when `timeout()` is above 0."""
        key = self.key(scopes, params)
        return key, cache.get(key)

    def set(self, key: str, value: Any) -> None:
        cache.set(key, value, self.timeout())

    def cached(self, scopes: Sequence[str], params: dict[str, Any], compute: Callable[[], T]) -> T:
        """`compute()`, or its value cached under these scopes' versions, params and language."""
        if self.timeout() <= 0:
            return compute()
        key, value = self.get(scopes, params)
        if value is None:
            value = compute()
            self.set(key, value)
        return value


def query_key(request: HttpRequest) -> list[tuple[str, list[str]]] | None:
    """The request's query string as part of a cache key (its parameters sorted, so their order
    makes no second entry), or None when it is too long to be worth caching."""
    if len(request.META.get("QUERY_STRING", "")) > MAX_CACHED_QUERY:
        return None
    return sorted(request.GET.lists())
