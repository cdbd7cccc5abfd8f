"""The roles' journeys against a running server (bench/load/run.sh starts everything).

- a visitor searches the catalogue and opens missions (anonymous);
- the coordinator's officer reads the balance dashboard and the annual report of a year;
- a host officer lists their placements and opens one;
- a partner system reads the API lists with a token.

Think time 1–3 s (locust's `between(1, 3)`), or none with BENCH_NO_THINK=1 (saturation).
Sessions, token and ids come from bench/load/sessions.py (BENCH_SESSIONS=path).
"""

import json
import os
import random

from locust import FastHttpUser, between, constant, task

DATA = json.load(open(os.environ["BENCH_SESSIONS"]))  # noqa: SIM115, PTH123
WAIT = constant(0) if os.environ.get("BENCH_NO_THINK") else between(1, 3)
YEARS = list(range(2015, 2027))
QUERIES = ["Youth", "Environment", "mission 1", ""]


def signed_in(role: str) -> dict[str, str]:
    return {"Cookie": f"{DATA['cookie']}={DATA['sessions'][role]}"}


class Visitor(FastHttpUser):
    weight = 4
    wait_time = WAIT

    @task(3)
    def catalogue(self) -> None:
        q = random.choice(QUERIES)
        self.client.get(f"/missions/?q={q}&country=FR" if q else "/missions/?page=2",
                        name="catalogue search")

    @task(2)
    def mission(self) -> None:
        self.client.get(f"/missions/{random.choice(DATA['missions'])}/", name="mission page")


class Coordinator(FastHttpUser):
    weight = 2
    wait_time = WAIT

    def on_start(self) -> None:
        self.headers = signed_in("coordinator")

    @task(2)
    def dashboard(self) -> None:
        self.client.get(f"/balance/?year={random.choice(YEARS)}", headers=self.headers,
                        name="balance dashboard")

    @task(1)
    def report(self) -> None:
        self.client.get(f"/balance/report/?year={random.choice(YEARS)}&host_country=FR&scheme="
                        "&basis=start", headers=self.headers, name="annual report")


class HostOfficer(FastHttpUser):
    weight = 2
    wait_time = WAIT

    def on_start(self) -> None:
        self.headers = signed_in("host")

    @task(1)
    def placements(self) -> None:
        self.client.get("/placements/", headers=self.headers, name="placement list")

    @task(1)
    def placement(self) -> None:
        if DATA["placements"]:
            self.client.get(f"/placements/{random.choice(DATA['placements'])}/",
                            headers=self.headers, name="placement page")


class PartnerSystem(FastHttpUser):
    weight = 1
    wait_time = WAIT

    def on_start(self) -> None:
        self.headers = {"Authorization": f"Bearer {DATA['token']}"}

    @task(1)
    def missions(self) -> None:
        self.client.get("/api/v1/missions?limit=50", headers=self.headers, name="API missions")

    @task(1)
    def placements(self) -> None:
        self.client.get("/api/v1/placements?limit=50", headers=self.headers, name="API placements")
