"""A mission page's public part, rendered once per mission, kind of reader and language.

The mission page (`/missions/<id>/`) is read far more often than a mission changes. Its public
part (title, facts, places left, description, the apply button) is the same for every reader of
one **kind**: `anonymous` (the apply button leads to the sign-up) or `signed-in`. It is cached
only for a published mission (visible to everyone) and never for a reader who manages the
mission: their page adds the suspension's reason, the management forms and the history, which
are rendered live and never stored. The view checks who manages from the entry's host before
serving it (missions/permissions.py), so a host's private part cannot reach another reader.

Entries are keyed by the mission's id, the kind, the language and two versions
(core/versioned_cache.py): `mission:<id>`, bumped after each committed save or delete of the
mission or of one of its placements (places left), and `all`, bumped by what many pages show
(organisations, schemes and their suspensions, programmes). `MISSION_PAGE_CACHE_SECONDS`: 60 by
default with Redis, 0 (off) without.
"""

from __future__ import annotations

from typing import Any

from reciprocity.core.versioned_cache import Slot, VersionedCache

PAGE = VersionedCache("mission-page", "MISSION_PAGE_CACHE_SECONDS")


def enabled() -> bool:
    return PAGE.timeout() > 0


def key_and_entry(*, mission_id: int, kind: str) -> tuple[Slot, dict[str, Any] | None]:
    """Where the entry goes, and the entry ({"title", "host_id", "html"}) if cached."""
    slot, entry = PAGE.get(["all", f"mission:{mission_id}"], {"mission": mission_id, "kind": kind})
    return slot, entry if isinstance(entry, dict) else None


def store(slot: Slot, *, title: str, host_id: int, html: str) -> None:
    PAGE.set(slot, {"title": title, "host_id": host_id, "html": html})


def mission_changed(mission_id: int | None) -> None:
    if mission_id is not None:
        PAGE.bump_on_commit(f"mission:{mission_id}")


def everything_changed() -> None:
    PAGE.bump_on_commit("all")
