"""Who is signed in, without three queries a request: the person's row, their second-factor
devices and their organisations, kept by each process between requests and checked against one
version in the shared cache at every request (issue 14).

A warm signed-in page used to read the user row (Django's session check), the session's device
(django-otp) and the person's organisations (the balance's cache scope, the disclosure rules):
three PostgreSQL round trips before the page's own work, the largest share of a cached page's
time in the load test's profile. Now each process keeps, per user id, a pickled copy of the row
with the devices and organisation ids attached, stored with the version of the scope
`user:<id>` read *before* loading them; a request reads that version (one Redis round trip) and
unpickles a fresh copy when it matches. What moves the version, after commit, whoever writes
(services, admin, imports, the demo; receivers in accounts/apps.py): the user row (password,
activity, staff rights, name; the sign-in's `last_login` too), a membership, a second-factor
device (enrolled, confirmed, removed, and each code checked).

What stays exactly as before: Django verifies the session against the copy's password hash
(a changed password or a deactivated account signs the session out at its next request, as
without the cache), django-otp accepts the session's device only if it is the user's and
confirmed. Nothing personal leaves the process: the shared cache holds version numbers only,
never a password hash or a device's secret.

On only with a cache every process shares (`IDENTITY_CACHE_SECONDS`, by default 300 with Redis,
0 without): a write served by one process must reach the others' copies. A copy older than that
many seconds is loaded again even if no version moved (a write the receivers cannot see, such as
a queryset update, is then seen within that time).
"""

from __future__ import annotations

import pickle
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from reciprocity.core.versioned_cache import VersionedCache

IDENTITY = VersionedCache("identity", "IDENTITY_CACHE_SECONDS")
# Copies kept per process (the least recently used goes first): a worker serving more people
# than this at once reads the rows of the oldest again.
MAX_COPIES = 2000
# Attributes the copy carries besides the row (read by accounts.selectors and OTPMiddleware).
ORGANISATIONS = "identity_organisation_ids"
DEVICES = "identity_devices"

_copies: OrderedDict[int, tuple[int, float, bytes]] = OrderedDict()
_lock = threading.Lock()  # gthread workers share the process


def enabled() -> bool:
    return IDENTITY.timeout() > 0


def user_changed(user_id: int | None) -> None:
    """The user's row, memberships or devices changed: every process reloads them (after the
    commit: a reader must not keep the old rows under the new version)."""
    if user_id is not None:
        IDENTITY.bump_on_commit(f"user:{user_id}")


def cached_user(user_id: Any, load: Callable[[], Any]) -> Any:
    """The user `load()` returns (None for no active user), from this process's copy when the
    user's version has not moved since it was made."""
    if not enabled():
        return load()
    try:
        key = int(user_id)
    except (TypeError, ValueError):
        return load()
    [version] = IDENTITY.versions([f"user:{key}"])
    now = time.monotonic()
    with _lock:
        copy = _copies.get(key)
        if copy is not None and copy[0] == version and now - copy[1] < IDENTITY.timeout():
            _copies.move_to_end(key)
            return pickle.loads(copy[2])  # noqa: S301 - bytes this process pickled itself
    user = load()
    if user is None:
        return None
    _attach(user)
    with _lock:
        _copies[key] = (version, now, pickle.dumps(user))
        _copies.move_to_end(key)
        while len(_copies) > MAX_COPIES:
            _copies.popitem(last=False)
    return user


def forget_all() -> None:
    """Drop this process's copies (tests)."""
    with _lock:
        _copies.clear()


def _attach(user: Any) -> None:
    from django_otp import devices_for_user

    from reciprocity.accounts.models import Membership

    setattr(user, ORGANISATIONS, frozenset(
        Membership.objects.filter(user_id=user.pk).values_list("organisation_id", flat=True)))
    setattr(user, DEVICES, {device.persistent_id: device
                            for device in devices_for_user(user, confirmed=None)})
