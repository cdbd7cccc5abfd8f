"""`reciprocity matching run ID [--json]` and `reciprocity matching fail-stale`."""

import io
import json

import pytest
from django.core.management import call_command

from reciprocity.matching import services
from reciprocity.matching.models import RunStatus
from reciprocity.matching.tests.conftest import SEASON, Season

pytestmark = pytest.mark.django_db


def test_run_executes_a_queued_run_and_prints_json(season: Season) -> None:
    run = services.run_create(created_by=season.staff, season_start=SEASON[0],
                              season_end=SEASON[1], time_limit=2, start=False)
    out = io.StringIO()
    call_command("matching", "run", str(run.pk), "--json", stdout=out)
    body = json.loads(out.getvalue())
    assert body["status"] == "succeeded" and body["placed"] == 2 and body["volunteers"] == 3
    run.refresh_from_db()
    assert run.status == RunStatus.SUCCEEDED
    # A run executes once: the second attempt is refused with exit code 1.
    with pytest.raises(SystemExit) as exc:
        call_command("matching", "run", str(run.pk), stdout=io.StringIO(), stderr=io.StringIO())
    assert exc.value.code == 1


def test_unknown_run_exits_1(season: Season) -> None:
    err = io.StringIO()
    with pytest.raises(SystemExit) as exc:
        call_command("matching", "run", "987654", stdout=io.StringIO(), stderr=err)
    assert exc.value.code == 1 and "987654" in err.getvalue()
