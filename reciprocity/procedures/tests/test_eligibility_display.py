"""The verdict for a volunteer on a mission, and the includes the application and placement
pages use, in the reader's language."""

import datetime

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from reciprocity.missions.tests.factories import MissionFactory
from reciprocity.procedures.selectors import eligibility_for
from reciprocity.procedures.services import procedure_open_for_placement
from reciprocity.procedures.tests.conftest import NOW, TODAY
from reciprocity.volunteers.tests.factories import VolunteerFactory

pytestmark = pytest.mark.django_db


def test_an_eligible_volunteer(placement):
    verdict = eligibility_for(volunteer=placement.volunteer, mission=placement.mission, today=TODAY)

    assert verdict.eligible is True


def test_every_failing_reason_is_given_and_rendered_in_french(host):
    volunteer = VolunteerFactory(nationality="SN", birth_date=datetime.date(1990, 1, 1),
                                 prior_service_civique=True)
    mission = MissionFactory(host=host, weekly_hours=50)

    verdict = eligibility_for(volunteer=volunteer, mission=mission, today=TODAY)
    with translation.override("fr"):
        html = render_to_string("procedures/_eligibility.html", {"eligibility": verdict})

    assert {r.code for r in verdict.reasons} == {
        "age_above_maximum", "already_did_service_civique", "weekly_hours_out_of_range"}
    assert 'data-code="age_above_maximum"' in html
    assert "(37 ans) dépasse le maximum de 25 ans" in html  # the engine's French catalogue


def test_facts_the_engine_cannot_evaluate_give_a_reason_not_an_error(host):
    volunteer = VolunteerFactory(birth_date=datetime.date(2030, 1, 1))
    mission = MissionFactory(host=host)

    verdict = eligibility_for(volunteer=volunteer, mission=mission, today=TODAY)
    html = render_to_string("procedures/_eligibility.html", {"eligibility": verdict})

    assert verdict.eligible is False
    assert "cannot be computed" in html


def test_the_checklist_include_lists_the_steps_in_order(placement):
    procedure = procedure_open_for_placement(placement=placement, today=TODAY, now=NOW)

    html = render_to_string("procedures/_placement_checklist.html", {"procedure": procedure})
    empty = render_to_string("procedures/_placement_checklist.html", {"procedure": None})

    assert html.index('id="checklist-reciprocity_request"') < html.index('id="checklist-civic_training"')
    assert f"/procedures/{procedure.pk}/" in html
    assert "No procedure yet" in empty
