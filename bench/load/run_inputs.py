"""Applications for the load test's placement run (bench/load/README.md), on the bench data.

`reciprocity bench-data` makes placements, not applications: a run needs volunteers with ranked
choices. This adds N submitted applications (default 10,000), sent by the French coordinator,
each with three pending choices among the missions published for 2027, for volunteers who hold
no placement in 2027; idempotent (marked by their motivation), by `bulk_create`. Prints the
number of applications, the published 2027 missions and the share of eligible choices as JSON.
Same settings as the server.

The choices must be ones the run can place, or it measures nothing (the run of 2026-12-06 left
all 30,000 out). The procedures engine refused them for three reasons, all of the bench data:
the published 2027 missions are all Service Civique (bench-data's scheme index and its "one in
ten published" share a factor), and Service Civique asks for

- an accredited host (`host_not_accredited`): bench-data gives no organisation an accreditation;
- at least 6 months (`duration_too_short`): bench missions last 180 days, under 6 months;
- an age of 16 to 25 on the start date (`age_above_maximum`): bench volunteers are born
  1995-2003, 24 to 32 years old in 2027.

So, before choosing, it gives each host of a published 2027 mission an accreditation for that
mission's scheme (2026-2028, ample places), lengthens those missions to 185 days when shorter
(the bench placements keep their own dates), and takes the applicants among volunteers young
enough for the youngest scheme limit. Each choice is then judged by the run's own checker
(`matching.eligibility.EligibilityChecker`, the verdict applicants are told); an ineligible pick
is replaced by another mission (a few tries). At the end a sample of all its choices is judged
again, and the script fails (exit 1) when fewer than `MIN_ELIGIBLE` (80%) are eligible. Applications of an earlier version of this
script (`OLD_MARKS`, ineligible) are withdrawn so the run's scope holds only these.
"""

import json
import os
import random
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "reciprocity.settings")

import django  # noqa: E402

django.setup()

from django.db import transaction  # noqa: E402

from reciprocity.applications.models import (  # noqa: E402
    Application,
    ApplicationChoice,
    ApplicationStatus,
    ChoiceStatus,
)
from reciprocity.matching.eligibility import EligibilityChecker  # noqa: E402
from reciprocity.missions.models import Mission, MissionStatus  # noqa: E402
from reciprocity.partners.models import Accreditation, AccreditationKind, Organisation  # noqa: E402
from reciprocity.placements.models import Placement  # noqa: E402
from reciprocity.volunteers.models import Volunteer  # noqa: E402

MARK = "bench-load run v2"
OLD_MARKS = ["bench-load run"]
YEAR_START, YEAR_END = date(2027, 1, 1), date(2027, 12, 31)
CHOICES, TRIES = 3, 12
MIN_ELIGIBLE = 0.8
SAMPLE = 1000  # choices judged again at the end (about a second)
# Longest six calendar months (July-December: 184 days), plus the start day.
SIX_MONTHS_DAYS = 185
# Service Civique's age limit is 25 on the start date: born after this, a volunteer is at most
# 25 on any 2027 start up to 31 October (bench missions start from 4 January to 31 October).
YOUNGEST_LIMIT_BORN_AFTER = date(2001, 10, 31)


def published_missions() -> list[Mission]:
    return list(Mission.objects.filter(
        status=MissionStatus.PUBLISHED, start_date__gte=YEAR_START, start_date__lte=YEAR_END,
    ).select_related("host").order_by("pk"))


def prepare_missions(missions: list[Mission]) -> None:
    """Accredit each host for the schemes it publishes in 2027, and lengthen missions shorter
    than six months (idempotent)."""
    for host_id, scheme_id in sorted({(m.host_id, m.scheme_id) for m in missions}):
        Accreditation.objects.get_or_create(
            scheme_id=scheme_id, number=f"bench-{host_id}-{scheme_id}",
            defaults={"organisation_id": host_id, "kind": AccreditationKind.COLLECTIVE,
                      "authorised_volunteers": 100_000, "valid_from": date(2026, 1, 1),
                      "valid_to": date(2028, 12, 31), "issuer": "bench"})
    short = [m for m in missions if (m.end_date - m.start_date).days + 1 < SIX_MONTHS_DAYS]
    for mission in short:
        mission.end_date = mission.start_date + timedelta(days=SIX_MONTHS_DAYS - 1)
    Mission.objects.bulk_update(short, ["end_date"], batch_size=1000)


def candidates(limit: int) -> list[Volunteer]:
    busy = Placement.objects.filter(end_date__gte=YEAR_START).values("volunteer_id")
    taken = Application.objects.filter(motivation=MARK).values("volunteer_id")
    return list(Volunteer.objects.exclude(pk__in=busy).exclude(pk__in=taken)
                .filter(birth_date__gt=YOUNGEST_LIMIT_BORN_AFTER).order_by("pk")[:limit])


def pick(volunteer: Volunteer, missions: list[Mission], checker: EligibilityChecker,
         rng: random.Random) -> tuple[list[Mission], int]:
    """Up to CHOICES distinct missions for the volunteer, eligible ones when found within TRIES
    draws; returns them and how many of them are eligible."""
    chosen: list[Mission] = []
    eligible = 0
    fallback: list[Mission] = []
    for mission in rng.sample(missions, min(TRIES, len(missions))):
        if len(chosen) == CHOICES:
            break
        if checker.reasons(volunteer=volunteer, mission=mission):
            fallback.append(mission)
        else:
            chosen.append(mission)
            eligible += 1
    chosen += fallback[:CHOICES - len(chosen)]
    return chosen, eligible


def generate(n: int, *, seed: int = 14) -> dict[str, Any]:
    """Make the applications up to `n`; the figures of the choices made this time."""
    Application.objects.filter(motivation__in=OLD_MARKS).exclude(
        status=ApplicationStatus.WITHDRAWN).update(status=ApplicationStatus.WITHDRAWN)
    missions = published_missions()
    with transaction.atomic():
        prepare_missions(missions)
    missions = published_missions()  # the lengthened dates
    have = Application.objects.filter(motivation=MARK).count()
    made = eligible = 0
    if have < n and missions:
        coordinator = Organisation.objects.get(country="FR", is_coordinator=True)
        checker = EligibilityChecker()
        rng = random.Random(seed)
        submitted = datetime(2026, 10, 1, tzinfo=UTC)
        volunteers = candidates(n - have)
        for start in range(0, len(volunteers), 2000):
            picks = []
            for volunteer in volunteers[start:start + 2000]:
                chosen, ok = pick(volunteer, missions, checker, rng)
                picks.append((volunteer, chosen))
                made += len(chosen)
                eligible += ok
            with transaction.atomic():
                batch = Application.objects.bulk_create([
                    Application(volunteer=v, sending_organisation=coordinator,
                                status=ApplicationStatus.SUBMITTED, submitted_at=submitted,
                                motivation=MARK)
                    for v, _chosen in picks])
                ApplicationChoice.objects.bulk_create([
                    ApplicationChoice(application=a, mission=m, rank=rank,
                                      status=ChoiceStatus.PENDING)
                    for a, (_v, chosen) in zip(batch, picks, strict=True)
                    for rank, m in enumerate(chosen, start=1)])
    return {"applications": Application.objects.filter(motivation=MARK).count(),
            "missions_2027": len(missions), "choices_made": made,
            "eligible_share_made": round(eligible / made, 3) if made else None,
            "eligible_share": eligible_share(sample=SAMPLE, seed=seed)}


def eligible_share(*, sample: int, seed: int = 14) -> float:
    """The share of eligible choices among `sample` drawn from every application this script
    made (this time or before), judged afresh by the run's checker."""
    ids = list(ApplicationChoice.objects.filter(application__motivation=MARK)
               .values_list("pk", flat=True))
    if not ids:
        return 0.0
    drawn = random.Random(seed).sample(ids, min(sample, len(ids)))
    checker = EligibilityChecker()
    choices = ApplicationChoice.objects.filter(pk__in=drawn).select_related(
        "application__volunteer", "mission__host")
    eligible = sum(1 for c in choices
                   if not checker.reasons(volunteer=c.application.volunteer, mission=c.mission))
    return round(eligible / len(drawn), 3)


def main() -> None:
    figures = generate(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)
    print(json.dumps(figures))
    if figures["eligible_share"] < MIN_ELIGIBLE:
        print(f"Only {figures['eligible_share']:.0%} of the choices are eligible "
              f"(at least {MIN_ELIGIBLE:.0%} needed): the run would measure the builder, "
              "not the solver.", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
