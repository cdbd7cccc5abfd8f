"""`reciprocity bench-data`: a national coordinator's network at scale, for the load test.

    reciprocity bench-data --ledger 1000000 --volunteers 200000

PostgreSQL only, into an empty database (migrated first). Writes organisations in 60 countries,
an agreement between the French coordinator and each partner, missions (one in ten published
for 2027, so the catalogue has something to search), volunteers, placements (about one per
2.9 ledger rows, with the statuses of a real history: 80 % completed, 10 % interrupted, 5 % in
mission, 2 % confirmed, 3 % cancelled), and for each placement the ledger entries its status
implies, with the deltas `ledger_backfill` writes. Volunteers, missions and placements go
through `bulk_create` in batches; the ledger is one `INSERT … SELECT` computed by PostgreSQL
(a million ORM objects would only time Python); the running totals are then rebuilt.
Also creates the load test's accounts (bench/load/README.md): `bench-staff`, `bench-coordinator`
(officer of the French coordinator) and `bench-host` (officer of the Senegalese agency).
Exit codes: 0 done, 1 refused (not PostgreSQL, or the database already has volunteers).
"""

from __future__ import annotations

import json
import time
from datetime import date, timedelta
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction

COUNTRIES = [
    "FR", "TN", "SN", "BF", "MA", "TG", "BJ", "CI", "ML", "CM", "MG", "PE", "EC", "KH", "VN",
    "LB", "NE", "HT", "IN", "BR", "GN", "CO", "BO", "DZ", "EG", "GH", "CD", "MR", "TD", "CG",
    "GW", "PY", "AR", "JO", "PS", "LA", "PH", "ID", "NP", "MX", "UA", "GE", "AM", "DE", "ES",
    "IT", "PT", "PL", "BE", "CZ", "RO", "GR", "HU", "JP", "KR", "TR", "RS", "KE", "RW", "UG",
]
SCHEMES = ["service_civique", "service_civique", "vsi", "workcamp", "esc"]
BATCH = 10_000
#: Ledger entries per placement: 2.88 with the status mix below, 1 for the placements of the
#: published missions (confirmed only), a tenth of them.
ENTRIES_PER_PLACEMENT = 2.69


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


LEDGER_SQL = """
WITH p AS (
    SELECT pl.id, pl.start_date, pl.end_date, pl.ended_on, pl.status, pl.nationality,
           pl.host_country, pl.sending_organisation_id, m.host_id, pl.agreement_id, m.scheme_id,
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
    VALUES ('confirmed', 1), ('started', 2), ('completed', 3), ('interrupted', 3), ('cancelled', 2)
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


class Command(BaseCommand):
    help = "Generate a network at scale on PostgreSQL for the load test (bench/load/)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--ledger", type=int, default=1_000_000,
                            help="About this many ledger rows (default 1,000,000).")
        parser.add_argument("--volunteers", type=int, default=200_000,
                            help="Volunteers (default 200,000); placements share them.")
        parser.add_argument("--json", action="store_true", help="Print the figures as JSON.")

    def handle(self, *args: Any, **options: Any) -> None:
        from reciprocity.volunteers.models import Volunteer

        if connection.vendor != "postgresql":
            raise CommandError("bench-data needs PostgreSQL (DATABASE_URL).", returncode=1)
        if options["ledger"] < 100 or options["volunteers"] < 10:
            raise CommandError("Ask for at least 100 ledger rows and 10 volunteers.", returncode=2)
        call_command("migrate", verbosity=0)
        if Volunteer.objects.exists():
            raise CommandError("The database already has volunteers: use an empty one.", returncode=1)
        started = time.perf_counter()
        figures = self._load(options["ledger"], options["volunteers"], started)
        figures["seconds"] = round(time.perf_counter() - started, 1)
        if options["json"]:
            self.stdout.write(json.dumps(figures))
        else:
            self.stdout.write(", ".join(f"{k}: {v:,}" for k, v in figures.items()))

    def _say(self, started: float, text: str) -> None:
        self.stderr.write(f"[{time.perf_counter() - started:6.1f} s] {text}")

    def _load(self, ledger: int, n_volunteers: int, started: float) -> dict[str, Any]:
        from reciprocity.agreements.models import Agreement, AgreementStatus
        from reciprocity.balance.models import LedgerEntry
        from reciprocity.balance.services import ledger_totals_rebuild
        from reciprocity.core.planner import planner_statistics_refresh
        from reciprocity.missions.models import Mission, MissionStatus, Theme
        from reciprocity.partners.models import Organisation
        from reciprocity.placements.models import Placement
        from reciprocity.volunteers.models import Volunteer

        n_placements = max(10, round(ledger / ENTRIES_PER_PLACEMENT))
        n_missions = max(50, n_placements // 17)
        orgs = {c: Organisation.objects.create(
            name=f"Agency {c}", country=c, is_host=True, is_sending=True,
            is_coordinator=(c == "FR")) for c in COUNTRIES}
        agreements = {c: Agreement.objects.create(
            reference=f"bench-{c.lower()}", title=f"FR ⇄ {c}", party_a=orgs["FR"],
            party_b=orgs[c], start_date=date(2010, 1, 1), end_date=date(2030, 12, 31),
            quota_a_to_b=20, quota_b_to_a=20, tolerance=5, status=AgreementStatus.ACTIVE)
            for c in COUNTRIES[1:]}
        missions = []
        for m in range(n_missions):
            # Two missions in three are in France (the coordinator's network hosts most).
            country = "FR" if m % 3 else COUNTRIES[1 + m % (len(COUNTRIES) - 1)]
            published = m % 10 == 0
            start = (date(2027, 1, 4) + timedelta(days=(m * 13) % 300) if published
                     else date(2010, 1, 1) + timedelta(days=(m * 37) % 6000))
            missions.append(Mission(
                host=orgs[country], scheme_id=SCHEMES[m % len(SCHEMES)],
                title=f"{'Youth' if m % 2 else 'Environment'} mission {m}",
                description="Bench mission.", theme=Theme.SOLIDARITY, country=country,
                city="Lyon" if country == "FR" else "Capital", start_date=start,
                end_date=start + timedelta(days=179), capacity=40, weekly_hours=28,
                languages=["fr"], status=MissionStatus.PUBLISHED if published else MissionStatus.CLOSED))
        Mission.objects.bulk_create(missions, batch_size=BATCH)
        self._say(started, f"{len(orgs)} organisations, {len(agreements)} agreements, {n_missions:,} missions")

        volunteers = []
        for offset in range(0, n_volunteers, BATCH):
            batch = []
            for i in range(offset, min(offset + BATCH, n_volunteers)):
                nationality = "FR" if i % 3 == 0 else COUNTRIES[1 + (i * 31) % (len(COUNTRIES) - 1)]
                batch.append(Volunteer(
                    reference=f"B-{i:07d}", first_name=f"Vol{i}", last_name="Bench",
                    gender="FMX"[i % 3] if i % 50 else "X", nationality=nationality,
                    residence_country=nationality, birth_date=date(1995, 1, 1) + timedelta(days=i % 3000),
                    sending_organisation=orgs[nationality], languages=[], other_nationalities=[]))
            Volunteer.objects.bulk_create(batch, batch_size=BATCH)
            volunteers.extend(batch)
        self._say(started, f"{n_volunteers:,} volunteers")

        # Placements of French volunteers go abroad, the others' to France; a volunteer never
        # holds two placements on the same mission.
        french = [v for v in volunteers if str(v.nationality) == "FR"]
        foreign = [v for v in volunteers if str(v.nationality) != "FR"]
        in_france = [m for m in missions if str(m.country) == "FR"]
        abroad = [m for m in missions if str(m.country) != "FR"]
        for offset in range(0, n_placements, BATCH):
            placements = []
            for i in range(offset, min(offset + BATCH, n_placements)):
                if i % 3 == 0:
                    volunteer = french[(i // 3) % len(french)]
                    mission = abroad[(i * 7919) % len(abroad)]
                else:
                    volunteer = foreign[(i - i // 3 - 1) % len(foreign)]
                    mission = in_france[(i * 7919) % len(in_france)]
                status = "confirmed" if mission.status == MissionStatus.PUBLISHED else status_of(i)
                start = mission.start_date
                end = mission.end_date
                ended_on = end if status == "completed" else (
                    start + timedelta(days=30 + i % 120) if status == "interrupted" else None)
                nationality, host = str(volunteer.nationality), str(mission.country)
                partner = host if nationality == "FR" else nationality
                placements.append(Placement(
                    volunteer=volunteer, mission=mission, nationality=nationality, host_country=host,
                    scheme_id=mission.scheme_id, gender=volunteer.gender, start_date=start,
                    end_date=end, status=status, ended_on=ended_on,
                    sending_organisation=orgs[nationality], agreement=agreements.get(partner)))
            with transaction.atomic():
                Placement.objects.bulk_create(placements, batch_size=BATCH, ignore_conflicts=True)
            self._say(started, f"{offset + len(placements):,} placements")
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(LEDGER_SQL)
        self._say(started, "ledger written")
        totals = ledger_totals_rebuild()
        planner_statistics_refresh()
        self._accounts(orgs)
        return {"organisations": len(orgs), "missions": n_missions, "volunteers": n_volunteers,
                "placements": Placement.objects.count(), "ledger": LedgerEntry.objects.count(),
                "ledger_totals": totals}

    def _accounts(self, orgs: dict[str, Any]) -> None:
        from reciprocity.accounts.models import Membership, MembershipRole, User

        # No password: the load test signs them in with sessions it creates (bench/load/sessions.py).
        User.objects.create_superuser("bench-staff", "staff@bench.invalid", None)
        for name, country in (("bench-coordinator", "FR"), ("bench-host", "SN")):
            user = User.objects.create_user(name, f"{name}@bench.invalid", None)
            Membership.objects.create(user=user, organisation=orgs[country],
                                      role=MembershipRole.OFFICER)
