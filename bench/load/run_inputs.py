"""Applications for the load test's placement run (bench/load/README.md), on the bench data.

`reciprocity bench-data` makes placements, not applications: a run needs volunteers with ranked
choices. This adds N submitted applications (default 10,000), sent by the French coordinator,
each with three pending choices among the missions published for 2027, for volunteers who hold
no placement in 2027; idempotent (marked by their motivation), by `bulk_create`. Prints the
number of applications and the published 2027 missions as JSON. Same settings as the server.
"""

import json
import os
import random
import sys
from datetime import UTC, date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "reciprocity.settings")

import django  # noqa: E402

django.setup()

from reciprocity.applications.models import (  # noqa: E402
    Application,
    ApplicationChoice,
    ApplicationStatus,
    ChoiceStatus,
)
from reciprocity.missions.models import Mission, MissionStatus  # noqa: E402
from reciprocity.partners.models import Organisation  # noqa: E402
from reciprocity.placements.models import Placement  # noqa: E402
from reciprocity.volunteers.models import Volunteer  # noqa: E402

MARK = "bench-load run"
N = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000


def main() -> None:
    missions = list(Mission.objects.filter(
        status=MissionStatus.PUBLISHED, start_date__gte=date(2027, 1, 1),
        start_date__lte=date(2027, 12, 31)).values_list("pk", flat=True))
    have = Application.objects.filter(motivation=MARK).count()
    if have < N:
        coordinator = Organisation.objects.get(country="FR", is_coordinator=True)
        busy = Placement.objects.filter(end_date__gte=date(2027, 1, 1)).values("volunteer_id")
        taken = Application.objects.filter(motivation=MARK).values("volunteer_id")
        volunteers = list(Volunteer.objects.exclude(pk__in=busy).exclude(pk__in=taken)
                          .order_by("pk").values_list("pk", flat=True)[:N - have])
        rng = random.Random(14)
        submitted = datetime(2026, 10, 1, tzinfo=UTC)
        for start in range(0, len(volunteers), 2000):
            batch = Application.objects.bulk_create([
                Application(volunteer_id=v, sending_organisation=coordinator,
                            status=ApplicationStatus.SUBMITTED, submitted_at=submitted,
                            motivation=MARK)
                for v in volunteers[start:start + 2000]])
            ApplicationChoice.objects.bulk_create([
                ApplicationChoice(application=a, mission_id=m, rank=rank,
                                  status=ChoiceStatus.PENDING)
                for a in batch for rank, m in enumerate(rng.sample(missions, 3), start=1)])
    print(json.dumps({"applications": Application.objects.filter(motivation=MARK).count(),
                      "missions_2027": len(missions)}))


if __name__ == "__main__":
    main()
