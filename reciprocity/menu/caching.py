"""One cached summary per user of what the menu shows: which entries, the unread count, and the
header rendered from them (navigation.site_header fills in each request's CSRF token and path).

Without it, every signed-in page paid about nine queries for its menu (memberships asked by
each permission function, the volunteer record, the unread messages). The summary is kept under
the reader's **user id** (in the scopes and in the key's parameters: one user's counters are
never served to another) and two versions (core/versioned_cache.py):

- `user:<id>`, bumped after a commit that changes what this user's menu reads: their account
  (staff rights), their memberships, their volunteer record, their read markers of threads;
- `all`, bumped after a commit that may change many users' menus: an organisation's kinds
  (host, sending, coordinator…: who gets which entry).

A message in a thread bumps the `user:` version of the thread's readers only (`thread_changed`):
the volunteer, the members of its organisations (`conversations.permissions.thread_parties`, the
parties `threads_visible_to` reads) and whoever keeps a read marker on it (staff count only the
threads they opened or wrote in). It used to bump `all`: every signed-in user's menu was
recomputed after each message anywhere on the platform.

What no receiver follows (a placement or an application bringing a user into a thread that
already has messages) shows once the entry expires: `MENU_CACHE_SECONDS`, 60 by default with
Redis, 0 (off) without. Requests authenticated by an API token are never cached: their rights
are the token's, not the user's.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from reciprocity.accounts.selectors import AnyUser, request_token
from reciprocity.core.versioned_cache import VersionedCache

MENU = VersionedCache("menu", "MENU_CACHE_SECONDS")
# Bump when the summary's shape changes (2: with the header's HTML): entries of the previous
# shape are then never read.
SHAPE = 2


def scopes_of(user_id: int) -> list[str]:
    return ["all", f"user:{user_id}"]


def summary_for(user: AnyUser, compute: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    if not user.is_authenticated or request_token(user) is not None:
        return compute()
    return MENU.cached(scopes_of(user.pk), {"user": user.pk, "shape": SHAPE}, compute)


def user_changed(user_id: int | None) -> None:
    if user_id is not None:
        MENU.bump_on_commit(f"user:{user_id}")


def everyone_changed() -> None:
    MENU.bump_on_commit("all")


def thread_changed(thread_id: int) -> None:
    """A message was written in (or removed from) the thread: its readers' unread counts move."""
    if MENU.timeout() <= 0:
        return  # nothing is cached: no reader to find
    from reciprocity.accounts.models import Membership
    from reciprocity.conversations.models import Thread, ThreadRead
    from reciprocity.conversations.permissions import thread_parties

    thread = (
        Thread.objects.select_related(
            "placement__mission", "placement__volunteer", "application__volunteer"
        ).filter(pk=thread_id).first()
    )
    if thread is None:  # the thread is being deleted with its messages: readers unknown
        everyone_changed()
        return
    volunteer_user_id, orgs = thread_parties(thread)
    readers = set(Membership.objects.filter(organisation_id__in=orgs).values_list("user_id", flat=True))
    readers |= set(ThreadRead.objects.filter(thread_id=thread_id).values_list("user_id", flat=True))
    if volunteer_user_id is not None:
        readers.add(volunteer_user_id)
    for user_id in sorted(readers):
        MENU.bump_on_commit(f"user:{user_id}")
