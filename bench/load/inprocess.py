"""In-process timing of the load test's pages (bench/load/README.md "In-process timings").

Django's test client, no server: the median (and worst) of N requests per page after one
warm-up, and the page's query count, with the caches (balance, catalogue, menu, mission page)
on (per process memory unless REDIS_URL) and off. It measures the code's cost per
request on one core, what gunicorn's workers multiply; run it against the demo or the bench
database (DATABASE_URL) with the same settings as the server.

    DATABASE_URL=... .venv/bin/python bench/load/inprocess.py [N]
    BENCH_PAGES=placement DATABASE_URL=... .venv/bin/python bench/load/inprocess.py 10   # some pages
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "reciprocity.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

from reciprocity.accounts.models import User  # noqa: E402
from reciprocity.missions.models import Mission, MissionStatus  # noqa: E402
from reciprocity.placements.selectors import placements_visible_to  # noqa: E402


def coordinator() -> User:
    """bench-coordinator on the bench data; on the demo, a member of a French organisation."""
    user = User.objects.filter(username="bench-coordinator").first()
    if user is None:
        user = User.objects.filter(memberships__organisation__country="FR", is_staff=False).first()
    assert user is not None, "no coordinator to sign in"
    return user


def host_officer() -> User:
    """bench-host (the Senegalese agency's officer) on the bench data; on the demo, a member of
    a host organisation that is not French."""
    user = User.objects.filter(username="bench-host").first()
    if user is None:
        user = User.objects.filter(memberships__organisation__is_host=True, is_staff=False).exclude(
            memberships__organisation__country="FR").first()
    assert user is not None, "no host officer to sign in"
    return user


def api_client(user: User) -> Client:
    """A client with a read token of `user`, bound to their first organisation (as
    bench/load/sessions.py makes the load test's)."""
    from reciprocity.accounts.models import ApiToken, Membership

    membership = Membership.objects.filter(user=user).order_by("pk").first()
    key = ApiToken.generate()
    ApiToken.objects.filter(user=user, name="inprocess").delete()  # the previous run's
    ApiToken.objects.create(user=user, name="inprocess", key_hash=ApiToken.hash(key), prefix=key[:8],
                            organisation=membership.organisation if membership else None)
    return Client(HTTP_AUTHORIZATION=f"Bearer {key}")


def signed_in(client: Client, user: User) -> None:
    """Signed in with the second factor passed, as bench/load/sessions.py does."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client.force_login(user)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or \
        TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


def timed(client: Client, url: str, n: int) -> tuple[float, float, int, int]:
    """Median and worst of n requests after a warm-up, the page's size and its queries."""
    response = client.get(url)  # warm-up (and fills the caches)
    assert response.status_code == 200, (url, response.status_code)
    times = []
    for _ in range(n):
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return statistics.median(times), max(times), len(response.content), len(queries)


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    setup_test_environment()
    year = int(os.environ.get("BENCH_YEAR", "2025"))
    mission = Mission.objects.filter(status=MissionStatus.PUBLISHED).order_by("pk").first()
    assert mission is not None
    anonymous, member, host = Client(), Client(), Client()
    signed_in(member, coordinator())
    signed_in(host, host_officer())
    partner = api_client(coordinator())
    placement = placements_visible_to(host_officer()).order_by("-pk").first()
    assert placement is not None
    pages = [
        ("catalogue", anonymous, "/missions/?page=2"),
        ("catalogue search", anonymous, "/missions/?country=FR&q=a"),
        ("mission page", anonymous, f"/missions/{mission.pk}/"),
        ("mission page (in)", member, f"/missions/{mission.pk}/"),
        # A small signed-in page: mostly the session, the second factor and the menu.
        ("notifications", member, "/notifications/"),
        ("balance dashboard", member, f"/balance/?year={year}"),
        ("annual report", member, f"/balance/report/?year={year}&host_country=FR&scheme=&basis=start"),
        # The host officer's journey, and the coordinator's (who sees nearly every placement).
        ("placement list", host, "/placements/"),
        ("placement list p.100", host, "/placements/?page=100"),
        ("placement page", host, f"/placements/{placement.pk}/"),
        ("placement list (co)", member, "/placements/"),
        ("placement list (co) p.400", member, "/placements/?page=400"),
        ("API placements", partner, "/api/v1/placements?limit=50"),
        ("API placements +20000", partner, "/api/v1/placements?limit=50&offset=20000"),
    ]
    only = os.environ.get("BENCH_PAGES", "")  # e.g. "placement": only the pages whose name has it
    pages = [page for page in pages if only in page[0]]
    for label, seconds in (("cache on", 600), ("cache off", 0)):
        settings.BALANCE_CACHE_SECONDS = seconds
        settings.CATALOGUE_CACHE_SECONDS = seconds
        settings.MENU_CACHE_SECONDS = seconds
        settings.MISSION_PAGE_CACHE_SECONDS = seconds
        cache.clear()
        for name, client, url in pages:
            median, worst, size, queries = timed(client, url, n)
            print(f"{label:9} {name:26} {median:7.1f} ms (worst {worst:6.1f})  {queries:3d} queries"
                  f"  {size / 1024:6.1f} KB  {url}")


if __name__ == "__main__":
    main()
