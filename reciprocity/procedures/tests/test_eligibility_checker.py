"""The one eligibility checker (procedures/eligibility.py) and what each of its readers makes of
the same verdict: the applicant's JSON verdict, the reasons a gate refuses on, and the page's
verdict. Table-driven: one row per kind of case."""

import datetime

import pytest

from reciprocity.missions.tests.factories import MissionFactory
from reciprocity.procedures.eligibility import (
    NOT_JUDGED,
    eligibility_judge,
    eligibility_reasons,
    eligibility_verdict,
)
from reciprocity.procedures.engine import InvalidRequest
from reciprocity.procedures.facts import host_facts, plan_request
from reciprocity.procedures.selectors import eligibility_for
from reciprocity.procedures.tests.conftest import TODAY
from reciprocity.volunteers.tests.factories import VolunteerFactory

pytestmark = pytest.mark.django_db

CASES = {
    # name: (volunteer fields, mission fields, expected reason codes, judged)
    "eligible": ({}, {}, set(), True),
    "failing": (
        {"nationality": "SN", "birth_date": datetime.date(1990, 1, 1), "prior_service_civique": True},
        {"weekly_hours": 50},
        {"age_above_maximum", "already_did_service_civique", "weekly_hours_out_of_range"},
        True,
    ),
    # A birth date after the mission: the engine refuses the request itself.
    "not judged": ({"birth_date": datetime.date(2030, 1, 1)}, {}, set(), False),
}


@pytest.mark.parametrize("case", CASES)
def test_every_reader_gives_the_checkers_verdict(host, case):
    volunteer_fields, mission_fields, codes, judged = CASES[case]
    volunteer = VolunteerFactory(**volunteer_fields)
    mission = MissionFactory(host=host, **mission_fields)
    request = plan_request(volunteer, mission, host=host_facts(mission))

    verdict = eligibility_verdict(volunteer=volunteer, mission=mission)
    reasons = eligibility_reasons(request)
    page = eligibility_for(volunteer=volunteer, mission=mission, today=TODAY)

    assert verdict["checked"] is judged
    assert {r["code"] for r in verdict["reasons"]} == codes
    assert verdict["eligible"] is ((not codes) if judged else None)
    # Not judged: no reason to refuse on (the host decides), as for an eligible volunteer.
    assert {r["code"] for r in reasons} == codes
    if judged:
        assert {r.code for r in page.reasons} == codes
        assert page.eligible is (not codes)
    else:
        # The page shows the refused request as a reason instead of a server error.
        assert page.eligible is False


def test_the_judge_raises_what_the_readers_treat_as_not_judged(host):
    volunteer = VolunteerFactory(birth_date=datetime.date(2030, 1, 1))
    mission = MissionFactory(host=host)
    with pytest.raises(NOT_JUDGED) as refused:
        eligibility_judge(plan_request(volunteer, mission, host=host_facts(mission)))
    assert isinstance(refused.value, InvalidRequest)
