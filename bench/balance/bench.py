"""Benchmark of issue 5's performance target (never run by pytest).

    DATABASE_URL=postgres://bench:bench@127.0.0.1:5440/bench \
        .venv/bin/python bench/balance/bench.py load      # migrate + 1,000,000 ledger entries
    DATABASE_URL=... .venv/bin/python bench/balance/bench.py time   # the timings (target < 200 ms)

What is loaded, and why: the annual report's contract is defined over placements (distinct
volunteers), the balance views over the ledger. To time both on the same data, the load makes
placements at scale and gives each the ledger events its status implies, as the platform's
own backfill would: 347,222 placements (one volunteer each) in 60 countries from 2010 to 2026,
with 80 % completed, 10 % interrupted, 5 % in mission, 2 % confirmed and 3 % cancelled, which
gives 1,000,002 ledger entries. Volunteers, missions and placements are written with the ORM
(bulk_create), the ledger with one INSERT … SELECT computed in PostgreSQL from the placements
(a million ORM objects would only time Python).
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "reciprocity.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

PLACEMENTS = 347_222
MISSIONS = 20_000
COUNTRIES = [
    "FR", "TN", "SN", "BF", "MA", "TG", "BJ", "CI", "ML", "CM", "MG", "PE", "EC", "KH", "VN",
    "LB", "NE", "HT", "IN", "BR", "GN", "CO", "BO", "DZ", "EG", "GH", "CD", "MR", "TD", "CG",
    "GW", "PY", "AR", "JO", "PS", "LA", "PH", "ID", "NP", "MX", "UA", "GE", "AM", "DE", "ES",
    "IT", "PT", "PL", "BE", "CZ", "RO", "GR", "HU", "JP", "KR", "TR", "RS", "KE", "RW", "UG",
]
SCHEMES = ["service_civique", "service_civique", "vsi", "workcamp", "esc"]
BATCH = 10_000


def status_of(i: int) -> str:
    k = i % 100
    if k < 80:
        return "completed"
    if k < 90:
        return "interrupted"
    if k < 95:
        return "in_mission"
    if k < 97:
        return "confirmed"
    return "cancelled"


def require_postgres() -> None:
    if connection.vendor != "postgresql":
        sys.exit("DATABASE_URL must point to a PostgreSQL database (see bench/balance/README.md).")


def load() -> None:
    from reciprocity.accounts.models import User
    from reciprocity.agreements.models import Agreement, AgreementStatus
    from reciprocity.balance.models import LedgerEntry
    from reciprocity.missions.models import Mission, MissionStatus, Theme
    from reciprocity.partners.models import Organisation
    from reciprocity.placements.models import Placement
    from reciprocity.volunteers.models import Volunteer

    require_postgres()
    call_command("migrate", verbosity=0)
    if LedgerEntry.objects.exists():
        print("already loaded:", LedgerEntry.objects.count(), "ledger entries")
        rebuild_totals()
        return
    started = time.perf_counter()
    User.objects.filter(username="bench").delete()
    User.objects.create_superuser("bench", "bench@example.org", "bench-bench-bench")
    orgs = {c: Organisation.objects.create(name=f"Agency {c}", country=c, is_host=True,
                                           is_sending=True) for c in COUNTRIES}
    coordinator = orgs["FR"]
    agreements = {}
    for c in COUNTRIES[1:]:
        agreement = Agreement.objects.create(
            reference=f"bench-{c.lower()}", title=f"FR ⇄ {c}", party_a=coordinator,
            party_b=orgs[c], start_date=date(2010, 1, 1), end_date=date(2030, 12, 31),
            quota_a_to_b=20, quota_b_to_a=20, tolerance=5, status=AgreementStatus.ACTIVE)
        agreements[c] = agreement
    missions = []
    for m in range(MISSIONS):
        # Two missions in three are in France (the coordinator's network hosts most).
        country = "FR" if m % 3 else COUNTRIES[1 + m % (len(COUNTRIES) - 1)]
        start = date(2010, 1, 1) + timedelta(days=(m * 37) % 6200)
        missions.append(Mission(
            host=orgs[country], scheme_id=SCHEMES[m % len(SCHEMES)], title=f"Bench mission {m}",
            theme=Theme.SOLIDARITY, country=country, city="Bench", start_date=start,
            end_date=start + timedelta(days=179), capacity=40, languages=[],
            status=MissionStatus.CLOSED))
    Mission.objects.bulk_create(missions, batch_size=BATCH)
    print(f"organisations, agreements, {MISSIONS} missions: {time.perf_counter() - started:.1f} s")

    for offset in range(0, PLACEMENTS, BATCH):
        volunteers, placements = [], []
        for i in range(offset, min(offset + BATCH, PLACEMENTS)):
            mission = missions[(i * 7919) % MISSIONS]
            host = str(mission.country)
            # Volunteers hosted in France come from the partners; those placed abroad are
            # French four times in five, and partners' nationals otherwise.
            if host == "FR":
                nationality = COUNTRIES[1 + (i * 31) % (len(COUNTRIES) - 1)]
            else:
                nationality = "FR" if i % 5 else COUNTRIES[1 + (i * 13) % (len(COUNTRIES) - 1)]
                if nationality == host:
                    nationality = "FR"
            status = status_of(i)
            start = mission.start_date + timedelta(days=i % 60)
            end = start + timedelta(days=179)
            ended_on = None
            if status == "completed":
                ended_on = end
            elif status == "interrupted":
                ended_on = start + timedelta(days=30 + i % 120)
            volunteer = Volunteer(
                reference=f"B-{i:07d}", gender="FMX"[i % 3] if i % 50 else "X",
                nationality=nationality, residence_country=nationality,
                birth_date=date(1995, 1, 1) + timedelta(days=i % 3000),
                sending_organisation=orgs[nationality], languages=[], other_nationalities=[])
            volunteers.append(volunteer)
            partner = host if nationality == "FR" else nationality
            placements.append(Placement(
                volunteer=volunteer, mission=mission, nationality=nationality, host_country=host,
                scheme_id=mission.scheme_id, gender=volunteer.gender, start_date=start, end_date=end, status=status, ended_on=ended_on,
                sending_organisation=orgs[nationality],
                agreement=agreements.get(partner) if "FR" in (host, nationality) else None))
        with transaction.atomic():
            Volunteer.objects.bulk_create(volunteers, batch_size=BATCH)
            Placement.objects.bulk_create(placements, batch_size=BATCH)
        print(f"  {offset + len(placements)} placements: {time.perf_counter() - started:.0f} s",
              end="\r")
    print()
    ledger_sql()
    rebuild_totals()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"ledger entries: {LedgerEntry.objects.count():,}; "
          f"total load {time.perf_counter() - started:.0f} s")


def ledger_sql() -> None:
    """The events each placement's status implies, with the deltas `ledger_backfill` writes
    (confirmed +1 and the planned months; started realises them; interrupted takes back the
    months not served; cancelled takes everything back)."""
    started = time.perf_counter()
    sql = """
    WITH p AS (
        SELECT pl.id, pl.start_date, pl.end_date, pl.ended_on, pl.status, pl.nationality,
               pl.host_country, pl.sending_organisation_id, m.host_id, pl.agreement_id,
               m.scheme_id,
               CASE WHEN pl.agreement_id IS NULL THEN ''
                    WHEN m.host_id = a.party_b_id THEN 'a_to_b' ELSE 'b_to_a' END AS direction,
               round(((pl.end_date - pl.start_date + 1) / 30.4375)::numeric, 2) AS planned,
               round(((COALESCE(pl.ended_on, pl.end_date) - pl.start_date + 1) / 30.4375)::numeric, 2)
                   AS served
        FROM placements_placement pl
        JOIN missions_mission m ON m.id = pl.mission_id
        LEFT JOIN agreements_agreement a ON a.id = pl.agreement_id
        WHERE pl.status <> 'proposed'
    ), e(event, rank) AS (
        VALUES ('confirmed', 1), ('started', 2), ('completed', 3), ('interrupted', 3),
               ('cancelled', 2)
    )
    INSERT INTO balance_ledgerentry (
        placement_id, event, occurred_on, recorded_at, origin_country, host_country,
        sending_organisation_id, host_organisation_id, agreement_id, scheme_id, year, direction,
        volunteers, volunteer_months, realised_volunteers, realised_months, note)
    SELECT p.id, e.event,
           CASE WHEN e.rank = 3 THEN COALESCE(p.ended_on, p.end_date) ELSE p.start_date END,
           now(), p.nationality, p.host_country, p.sending_organisation_id, p.host_id,
           p.agreement_id, p.scheme_id, extract(year FROM p.start_date)::int, p.direction,
           CASE e.event WHEN 'confirmed' THEN 1 WHEN 'cancelled' THEN -1 ELSE 0 END,
           CASE e.event WHEN 'confirmed' THEN p.planned WHEN 'cancelled' THEN -p.planned
                        WHEN 'interrupted' THEN p.served - p.planned ELSE 0 END,
           CASE e.event WHEN 'started' THEN 1 ELSE 0 END,
           CASE e.event WHEN 'started' THEN p.planned
                        WHEN 'interrupted' THEN p.served - p.planned ELSE 0 END,
           'bench load'
    FROM p JOIN e ON
        (p.status = 'confirmed' AND e.event = 'confirmed')
        OR (p.status = 'in_mission' AND e.event IN ('confirmed', 'started'))
        OR (p.status = 'completed' AND e.event IN ('confirmed', 'started', 'completed'))
        OR (p.status = 'interrupted' AND e.event IN ('confirmed', 'started', 'interrupted'))
        OR (p.status = 'cancelled' AND e.event IN ('confirmed', 'cancelled'))
    ORDER BY p.id, e.rank
    """
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql)
    print(f"ledger written in SQL: {time.perf_counter() - started:.1f} s")


def rebuild_totals() -> None:
    """The running totals the services keep on every write, derived once from the SQL load."""
    from reciprocity.balance.services import ledger_totals_rebuild

    started = time.perf_counter()
    rows = ledger_totals_rebuild()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE balance_ledgertotal")
    print(f"ledger totals rebuilt: {rows:,} rows in {time.perf_counter() - started:.1f} s")


def timed(label: str, fn, runs: int = 7) -> float:  # type: ignore[no-untyped-def]
    fn()  # warm the caches once, as a running server has them
    samples = []
    for _ in range(runs):
        begin = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - begin) * 1000)
    median = statistics.median(samples)
    verdict = "ok" if median < 200 else "OVER 200 ms"
    print(f"{label:<58} median {median:7.1f} ms   max {max(samples):7.1f} ms   {verdict}")
    return median


def time_all() -> None:
    from reciprocity.accounts.models import User
    from reciprocity.balance import selectors
    from reciprocity.balance.annual import annual_report
    from reciprocity.balance.models import LedgerEntry
    from reciprocity.placements.models import Placement

    require_postgres()
    user = User.objects.get(username="bench")
    print(f"{LedgerEntry.objects.count():,} ledger entries, {Placement.objects.count():,} "
          f"placements, PostgreSQL {connection.cursor().connection.info.server_version}")
    year = 2020
    timed(f"network balance view, year {year}",
          lambda: selectors.network_balance(user=user, year=year))
    timed("network balance view, all years",
          lambda: selectors.network_balance(user=user))
    timed(f"annual report --year {year} (basis start)", lambda: annual_report(year=year))
    timed(f"annual report --year {year} --basis active",
          lambda: annual_report(year=year, basis="active"))
    timed(f"annual report --year {year} --scheme service_civique",
          lambda: annual_report(year=year, scheme="service_civique"))
    timed(f"agreement balances (59 agreements, carry-over), {year}",
          lambda: selectors.agreement_balances(user=user, year=year))
    timed("yearly series FR", lambda: selectors.yearly_series(user=user, country="FR"))


if __name__ == "__main__":
    if len(sys.argv) != 2 or sys.argv[1] not in {"load", "time"}:
        sys.exit(__doc__)
    load() if sys.argv[1] == "load" else time_all()
