"""bench/load/run_inputs.py makes choices the placement run can place: on data shaped like
`reciprocity bench-data`'s (Service Civique missions of 180 days at unaccredited hosts,
volunteers of 24 to 32), at least 80% of its choices are eligible by the run's own checker."""

import importlib.util
import random
from datetime import date, timedelta
from pathlib import Path

import pytest

from reciprocity.applications.models import Application, ApplicationChoice
from reciprocity.matching.eligibility import EligibilityChecker
from reciprocity.missions.models import Mission, MissionStatus, Theme
from reciprocity.partners.models import Organisation
from reciprocity.volunteers.models import Volunteer

pytestmark = pytest.mark.django_db

SCRIPT = Path(__file__).resolve().parents[3] / "bench" / "load" / "run_inputs.py"


def run_inputs():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("bench_run_inputs", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def bench_like_network() -> list[Mission]:
    countries = ["FR", "SN", "TN", "VN"]
    orgs = {c: Organisation.objects.create(name=f"Agency {c}", country=c, is_host=True,
                                           is_sending=True, is_coordinator=(c == "FR"))
            for c in countries}
    missions = []
    for m in range(12):
        country = "FR" if m % 3 else countries[1 + m % 3]
        start = date(2027, 1, 4) + timedelta(days=(m * 130) % 300)
        missions.append(Mission.objects.create(
            host=orgs[country], scheme_id="service_civique", title=f"Mission {m}",
            description="Bench mission.", theme=Theme.SOLIDARITY, country=country, city="Lyon",
            start_date=start, end_date=start + timedelta(days=179), capacity=40,
            weekly_hours=28, languages=["fr"], status=MissionStatus.PUBLISHED))
    for i in range(0, 3000, 25):  # bench-data's birth dates: 1995-01-01 plus i % 3000 days
        nationality = "FR" if i % 3 == 0 else countries[1 + i % 3]
        Volunteer.objects.create(
            reference=f"B-{i:07d}", first_name=f"Vol{i}", last_name="Bench", gender="FM"[i % 2],
            nationality=nationality, residence_country=nationality,
            birth_date=date(1995, 1, 1) + timedelta(days=i), sending_organisation=orgs[nationality],
            languages=[], other_nationalities=[])
    return missions


def test_at_least_80_percent_of_the_choices_are_eligible():  # type: ignore[no-untyped-def]
    missions = bench_like_network()
    checker = EligibilityChecker()
    volunteers = list(Volunteer.objects.all())
    rng = random.Random(1)
    before = [not checker.reasons(volunteer=rng.choice(volunteers), mission=rng.choice(missions))
              for _ in range(60)]
    assert sum(before) / len(before) < 0.2  # what the run of 2026-12-06 met

    figures = run_inputs().generate(20)

    assert figures["applications"] == 20
    assert ApplicationChoice.objects.filter(application__motivation="bench-load run v2").count() == 60
    assert figures["eligible_share"] >= 0.8, figures
    assert figures["eligible_share_made"] >= 0.8, figures


def test_it_is_idempotent_and_withdraws_the_earlier_ineligible_applications():  # type: ignore[no-untyped-def]
    bench_like_network()
    module = run_inputs()
    old = Application.objects.create(volunteer=Volunteer.objects.first(), motivation="bench-load run",
                                     sending_organisation=Organisation.objects.get(country="FR"),
                                     status="submitted")
    module.generate(10)

    again = module.generate(10)

    assert again["applications"] == 10 and again["choices_made"] == 0
    old.refresh_from_db()
    assert old.status == "withdrawn"
