"""Signed-in sessions and an API token for the load test's roles, as JSON on stdout.

The bench accounts (`reciprocity bench-data`) have no password: each gets a session in the
session store, marked as having passed the second factor (as `django_otp.login` does), so the
load test measures the pages, not the sign-in. Run with the same settings as the server.
"""

import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "reciprocity.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.contrib.sessions.backends.base import SessionBase  # noqa: E402
from django.utils.module_loading import import_string  # noqa: E402
from django_otp import DEVICE_ID_SESSION_KEY  # noqa: E402
from django_otp.plugins.otp_totp.models import TOTPDevice  # noqa: E402

from reciprocity.accounts.models import ApiToken, Membership, TokenScope, User  # noqa: E402
from reciprocity.missions.models import Mission, MissionStatus  # noqa: E402
from reciprocity.placements.models import Placement  # noqa: E402


def session_for(user: User) -> str:
    store: SessionBase = import_string(f"{settings.SESSION_ENGINE}.SessionStore")()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[-1]
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or \
        TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
    store[DEVICE_ID_SESSION_KEY] = device.persistent_id
    store.create()
    return str(store.session_key)


def token_for(user: User) -> str:
    membership = Membership.objects.filter(user=user).order_by("pk").first()
    key = ApiToken.generate()
    # Read-write: run.sh submits a placement run with it (the journeys only read).
    ApiToken.objects.create(user=user, name="load test", key_hash=ApiToken.hash(key),
                            prefix=key[:8], organisation=membership.organisation if membership else None,
                            scope=TokenScope.READ_WRITE)
    return key


users = {name: User.objects.get(username=f"bench-{name}") for name in ("staff", "coordinator", "host")}
host_org = Membership.objects.get(user=users["host"]).organisation
print(json.dumps({
    "cookie": settings.SESSION_COOKIE_NAME,
    "sessions": {name: session_for(user) for name, user in users.items()},
    "token": token_for(users["coordinator"]),
    "missions": list(Mission.objects.filter(status=MissionStatus.PUBLISHED)
                     .order_by("pk").values_list("pk", flat=True)[:500]),
    "placements": list(Placement.objects.filter(mission__host=host_org)
                       .order_by("-pk").values_list("pk", flat=True)[:200]),
}))
