"""core/versioned_cache.py: an entry is served only under the versions it was computed under,
and a warm read is one cache round trip (versions and entry together)."""

from typing import Any

import pytest
from django.core.cache import cache, caches

from reciprocity.core.versioned_cache import VersionedCache

PAGES = VersionedCache("test-pages", "TEST_PAGES_SECONDS")


@pytest.fixture(autouse=True)
def _on(settings):  # type: ignore[no-untyped-def]
    settings.TEST_PAGES_SECONDS = 600
    cache.clear()


class Counter:
    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, *args: Any) -> str:
        self.calls += 1
        return f"render {self.calls}"


def test_an_entry_is_recomputed_after_a_bump_of_any_of_its_scopes() -> None:
    render = Counter()
    scopes = ["all", "user:7"]
    assert PAGES.cached(scopes, {"p": 1}, render) == "render 1"
    assert PAGES.cached(scopes, {"p": 1}, render) == "render 1"
    PAGES.bump("user:7")
    assert PAGES.cached(scopes, {"p": 1}, render) == "render 2"
    PAGES.bump("all")
    assert PAGES.cached(scopes, {"p": 1}, render) == "render 3"
    # Another user's scope moves nothing here; other parameters are other entries.
    PAGES.bump("user:8")
    assert PAGES.cached(scopes, {"p": 1}, render) == "render 3"
    assert PAGES.cached(scopes, {"p": 2}, render) == "render 4"


def test_a_value_computed_before_a_write_is_not_served_after_it() -> None:
    # A slow reader reads the versions, a write commits and bumps, the reader stores what it
    # computed from the old rows: the next read must not serve it.
    slot, value = PAGES.get(["all"], {"p": 1})
    assert value is None
    PAGES.bump("all")
    PAGES.set(slot, "from the rows before the write")
    assert PAGES.cached(["all"], {"p": 1}, lambda: "from the rows after it") == \
        "from the rows after it"


def test_an_expired_version_never_makes_an_old_entry_readable_again() -> None:
    PAGES.cached(["mission:3"], {"p": 1}, lambda: "old")
    cache.delete(PAGES._version_key("mission:3"))  # the version key expired
    assert PAGES.cached(["mission:3"], {"p": 1}, lambda: "new") == "new"


def test_a_warm_read_is_one_round_trip(monkeypatch: pytest.MonkeyPatch) -> None:
    PAGES.cached(["all", "user:7"], {"p": 1}, lambda: "page")
    calls: list[str] = []
    depth = [0]  # the local-memory cache's get_many calls its own get: count the outer call only

    def counted(name: str, real: Any) -> Any:
        def call(*args: Any, **kwargs: Any) -> Any:
            if depth[0] == 0:
                calls.append(name)
            depth[0] += 1
            try:
                return real(*args, **kwargs)
            finally:
                depth[0] -= 1
        return call

    # The backend object itself, not django.core.cache.cache (a proxy to the current one): the
    # settings fixture may swap the backend back before monkeypatch restores the methods.
    backend = caches["default"]
    for name in ("get", "get_many", "add", "set", "incr"):
        monkeypatch.setattr(backend, name, counted(name, getattr(backend, name)))
    assert PAGES.cached(["all", "user:7"], {"p": 1}, lambda: "not called") == "page"
    assert calls == ["get_many"]
