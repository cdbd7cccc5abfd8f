"""Cached pages are keyed by the release (core/release.py): a deploy never serves what the
previous code rendered, and machines running the same code share their entries."""

from pathlib import Path

import pytest
from django.core.cache import cache

from reciprocity.core import release as release_module
from reciprocity.core.versioned_cache import VersionedCache


def write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


def test_the_fingerprint_follows_contents_not_places_or_tests(tmp_path: Path) -> None:
    files = {"views.py": "x = 1\n", "templates/page.html": "<p>{{ x }}</p>\n",
             "locale/fr/LC_MESSAGES/django.mo": "mo"}
    one = release_module.fingerprint(write(tmp_path / "one", files))
    # The same code elsewhere (another machine, another checkout): the same release.
    assert release_module.fingerprint(write(tmp_path / "two", files)) == one
    # Tests, bytecode and other files do not render pages.
    write(tmp_path / "two", {"tests/test_x.py": "assert 1\n", "__pycache__/views.py": "",
                             "notes.md": "draft"})
    assert release_module.fingerprint(tmp_path / "two") == one
    # A template, a translation or a line of code changed: another release.
    for name, text in {"templates/page.html": "<p>{{ y }}</p>\n", "views.py": "x = 2\n",
                       "locale/fr/LC_MESSAGES/django.mo": "mo2"}.items():
        changed = write(tmp_path / f"c-{len(name)}", {**files, name: text})
        assert release_module.fingerprint(changed) != one


def test_the_deployment_may_name_its_release(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RECIPROCITY_RELEASE", "2027.1-abc123")
    release_module.release.cache_clear()
    try:
        assert release_module.release() == "2027.1-abc123"
    finally:
        monkeypatch.delenv("RECIPROCITY_RELEASE")
        release_module.release.cache_clear()
    assert len(release_module.release()) == 16


def test_an_entry_of_another_release_is_never_read(monkeypatch: pytest.MonkeyPatch, settings) -> None:  # type: ignore[no-untyped-def]
    settings.TEST_CACHE_SECONDS = 600
    cache.clear()
    pages = VersionedCache("test-release", "TEST_CACHE_SECONDS")
    def deploy(name: str) -> None:
        monkeypatch.setenv("RECIPROCITY_RELEASE", name)
        release_module.release.cache_clear()

    deploy("old")
    assert pages.cached(["all"], {"page": 1}, lambda: "rendered by the old code") == \
        "rendered by the old code"
    assert pages.cached(["all"], {"page": 1}, lambda: "not called") == "rendered by the old code"
    deploy("new")
    try:
        assert pages.cached(["all"], {"page": 1}, lambda: "rendered by the new code") == \
            "rendered by the new code"
    finally:
        monkeypatch.delenv("RECIPROCITY_RELEASE")
        release_module.release.cache_clear()
