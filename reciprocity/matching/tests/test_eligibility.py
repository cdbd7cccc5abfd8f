"""The run's cached eligibility check agrees with the verdict shown to applicants."""

import datetime

import pytest

from reciprocity.matching.eligibility import EligibilityChecker
from reciprocity.missions.tests.factories import MissionFactory
from reciprocity.partners.tests.factories import AccreditationFactory
from reciprocity.procedures.eligibility import eligibility_verdict
from reciprocity.volunteers.tests.factories import VolunteerFactory

pytestmark = pytest.mark.django_db


def test_same_verdicts_as_the_applicants_page() -> None:
    accredited = MissionFactory(scheme_id="service_civique")
    AccreditationFactory(organisation=accredited.host)
    missions = [
        accredited,
        MissionFactory(scheme_id="service_civique"),  # host without accreditation
        MissionFactory(scheme_id="workcamp", start_date=datetime.date(2027, 7, 1),
                       end_date=datetime.date(2027, 7, 20)),
        MissionFactory(scheme_id="vsi", country="SN", end_date=datetime.date(2028, 8, 31)),
    ]
    volunteers = [
        VolunteerFactory(),
        VolunteerFactory(birth_date=datetime.date(1980, 1, 1)),
        VolunteerFactory(nationality="FR", residence_country="FR", prior_service_civique=True),
        VolunteerFactory(birth_date=None),
    ]
    checker = EligibilityChecker()
    seen = set()
    for volunteer in volunteers:
        for mission in missions:
            verdict = eligibility_verdict(volunteer=volunteer, mission=mission)
            expected = verdict["reasons"] if verdict["checked"] else []
            assert checker.reasons(volunteer=volunteer, mission=mission) == expected
            seen.add(bool(expected))
    assert seen == {True, False}  # the table holds both eligible and ineligible pairs
