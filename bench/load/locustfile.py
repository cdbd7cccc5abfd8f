"""The roles' journeys against a running server (bench/load/run.sh starts everything).

- a visitor searches the catalogue and opens missions (anonymous);
- the coordinator's officer reads the balance dashboard and the annual report of a year;
- a host officer lists their placements and opens one;
- a partner system reads the API lists with a token.

Think time 1–3 s (locust's `between(1, 3)`), or none with BENCH_NO_THINK=1 (saturation).
BENCH_ONLY=catalogue|mission|balance|report|placements|placement|api-missions|api-placements
replaces the mix by one user class that asks only that page, with the mix's URLs, parameters
and account: each page's own capacity (the mix's per-page rates are shares of the mix).
Sessions, token and ids come from bench/load/sessions.py (BENCH_SESSIONS=path).

All classes are FastHttpUser (geventhttpclient): locust shares the 2 cores with gunicorn and
PostgreSQL, and it costs several times less CPU per request than HttpUser (requests).
"""

import json
import os
import random
from collections.abc import Callable

from locust import FastHttpUser, between, constant, task

DATA = json.load(open(os.environ["BENCH_SESSIONS"]))  # noqa: SIM115, PTH123
WAIT = constant(0) if os.environ.get("BENCH_NO_THINK") else between(1, 3)
YEARS = list(range(2015, 2027))
QUERIES = ["Youth", "Environment", "mission 1", ""]


def signed_in(role: str) -> dict[str, str]:
    return {"Cookie": f"{DATA['cookie']}={DATA['sessions'][role]}"}


def token() -> dict[str, str]:
    return {"Authorization": f"Bearer {DATA['token']}"}


class Client(FastHttpUser):
    """A user with the headers of its account (none for a visitor)."""

    abstract = True
    headers: dict[str, str] = {}


# Each page's request, shared by the mix and BENCH_ONLY so both ask the same URLs.
def catalogue(user: Client) -> None:
    q = random.choice(QUERIES)
    user.client.get(f"/missions/?q={q}&country=FR" if q else "/missions/?page=2",
                    name="catalogue search")


def mission(user: Client) -> None:
    user.client.get(f"/missions/{random.choice(DATA['missions'])}/", name="mission page")


def balance(user: Client) -> None:
    user.client.get(f"/balance/?year={random.choice(YEARS)}", headers=user.headers,
                    name="balance dashboard")


def report(user: Client) -> None:
    user.client.get(f"/balance/report/?year={random.choice(YEARS)}&host_country=FR&scheme="
                    "&basis=start", headers=user.headers, name="annual report")


def placements(user: Client) -> None:
    user.client.get("/placements/", headers=user.headers, name="placement list")


def placement(user: Client) -> None:
    if DATA["placements"]:
        user.client.get(f"/placements/{random.choice(DATA['placements'])}/",
                        headers=user.headers, name="placement page")


def api_missions(user: Client) -> None:
    user.client.get("/api/v1/missions?limit=50", headers=user.headers, name="API missions")


def api_placements(user: Client) -> None:
    user.client.get("/api/v1/placements?limit=50", headers=user.headers, name="API placements")


class Visitor(Client):
    weight = 4
    wait_time = WAIT

    @task(3)
    def catalogue(self) -> None:
        catalogue(self)

    @task(2)
    def mission(self) -> None:
        mission(self)


class Coordinator(Client):
    weight = 2
    wait_time = WAIT

    def on_start(self) -> None:
        self.headers = signed_in("coordinator")

    @task(2)
    def dashboard(self) -> None:
        balance(self)

    @task(1)
    def report(self) -> None:
        report(self)


class HostOfficer(Client):
    weight = 2
    wait_time = WAIT

    def on_start(self) -> None:
        self.headers = signed_in("host")

    @task(1)
    def placements(self) -> None:
        placements(self)

    @task(1)
    def placement(self) -> None:
        placement(self)


class PartnerSystem(Client):
    weight = 1
    wait_time = WAIT

    def on_start(self) -> None:
        self.headers = token()

    @task(1)
    def missions(self) -> None:
        api_missions(self)

    @task(1)
    def placements(self) -> None:
        api_placements(self)


# BENCH_ONLY: page -> (its request, the headers of the account the mix asks it with).
PAGES: dict[str, tuple[Callable[[Client], None], Callable[[], dict[str, str]]]] = {
    "catalogue": (catalogue, dict),
    "mission": (mission, dict),
    "balance": (balance, lambda: signed_in("coordinator")),
    "report": (report, lambda: signed_in("coordinator")),
    "placements": (placements, lambda: signed_in("host")),
    "placement": (placement, lambda: signed_in("host")),
    "api-missions": (api_missions, token),
    "api-placements": (api_placements, token),
}
ONLY = os.environ.get("BENCH_ONLY", "")
if ONLY:
    if ONLY not in PAGES:
        raise SystemExit(f"BENCH_ONLY={ONLY!r}: one of {', '.join(PAGES)}")
    for mix_class in (Visitor, Coordinator, HostOfficer, PartnerSystem):
        mix_class.abstract = True  # locust spawns only non-abstract classes
    ask, headers_of = PAGES[ONLY]

    class OnePage(Client):
        wait_time = WAIT

        def on_start(self) -> None:
            self.headers = headers_of()

        @task
        def page(self) -> None:
            ask(self)
