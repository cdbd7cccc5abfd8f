"""Opening a placement's procedure: the plan stored as steps, once, from the rules in force."""

import datetime

import pytest

from reciprocity.core.exceptions import ApplicationError, NotAllowed
from reciprocity.partners.models import Accreditation
from reciprocity.placements.models import PlacementStatus
from reciprocity.placements.tests.factories import PlacementFactory
from reciprocity.procedures.models import Procedure, ProcedureStep
from reciprocity.procedures.services import (
    procedure_open_for_placement,
    procedure_recompute,
    procedure_step_advance,
    procedures_sync,
)
from reciprocity.procedures.tests.conftest import TODAY
from reciprocity.schemes.models import SchemeRule
from reciprocity.schemes.services import rules_load_from_files

pytestmark = pytest.mark.django_db

# The suite's frozen moment (root conftest), passed in as the edges would.
NOW = datetime.datetime(2026, 11, 26, 9, tzinfo=datetime.UTC)


def test_opening_stores_the_engine_plan_as_dated_steps(placement):
    procedure = procedure_open_for_placement(placement=placement, today=TODAY, now=NOW)

    assert procedure.eligible is True
    assert procedure.reasons == []
    assert procedure.entry_document == "long_stay_temporary_exemption"
    assert procedure.rules_source == "files"
    steps = {s.code: s for s in procedure.steps.all()}
    assert list(procedure.steps.order_by("position").values_list("code", flat=True))[:3] == [
        "reciprocity_request", "invitation_letter", "visa_application"]
    assert steps["visa_application"].owner == "volunteer"
    assert steps["visa_application"].due_by == datetime.date(2027, 2, 28)
    assert steps["civic_training"].due_from == datetime.date(2027, 3, 1)
    assert steps["civic_training"].due_by == datetime.date(2027, 8, 31)
    assert all(s.status == "to_do" for s in steps.values())
    assert procedure.facts["nationalities"] == ["SN"]
    assert procedure.facts["host"] == {"accredited": True, "authorised_places": 5, "used_places": 0}
    assert {w["code"] for w in procedure.warnings} >= {"entry_document_to_be_confirmed"}


def test_opening_twice_returns_the_same_procedure_untouched(placement, host_officer):
    first = procedure_open_for_placement(placement=placement, today=TODAY, now=NOW)
    step = first.steps.get(code="insurance")
    step.status = "done"
    step.save()

    again = procedure_open_for_placement(placement=placement, today=datetime.date(2027, 1, 5), now=NOW)

    assert again.pk == first.pk
    assert again.computed_for == TODAY
    assert Procedure.objects.filter(placement=placement).count() == 1
    assert again.steps.get(code="insurance").status == "done"


def test_the_verdict_lists_every_failing_reason(placement):
    volunteer = placement.volunteer
    volunteer.birth_date = datetime.date(1990, 1, 1)  # 37 on the start date
    volunteer.prior_service_civique = True
    volunteer.save()
    Accreditation.objects.filter(organisation=placement.mission.host).delete()

    procedure = procedure_open_for_placement(placement=placement, today=TODAY, now=NOW)

    codes = {r["code"] for r in procedure.reasons}
    assert procedure.eligible is False
    assert codes == {"age_above_maximum", "already_did_service_civique", "host_not_accredited"}


def test_the_host_quota_counts_the_other_placements_only(placement):
    Accreditation.objects.filter(organisation=placement.mission.host).update(authorised_volunteers=1)

    procedure = procedure_open_for_placement(placement=placement, today=TODAY, now=NOW)

    # The placement itself holds the only place: the host is not over its quota.
    assert procedure.facts["host"]["used_places"] == 0
    assert procedure.eligible is True


def test_rules_edited_in_the_database_are_applied(placement):
    rules_load_from_files()
    SchemeRule.objects.filter(scheme_id="service_civique", key="age_max").update(value=22)

    procedure = procedure_open_for_placement(placement=placement, today=TODAY, now=NOW)

    assert procedure.rules_source == "database"
    assert [r["code"] for r in procedure.reasons] == ["age_above_maximum"]
    assert procedure.reasons[0]["params"]["maximum"] == "22"


def test_a_cancelled_placement_gets_no_procedure(placement):
    placement.status = PlacementStatus.CANCELLED
    placement.save()

    with pytest.raises(ApplicationError) as caught:
        procedure_open_for_placement(placement=placement, today=TODAY, now=NOW)

    assert caught.value.code == "placement_not_active"
    assert not Procedure.objects.filter(placement=placement).exists()


def test_sync_opens_missing_procedures_of_confirmed_and_running_placements(placement):
    running = PlacementFactory(status=PlacementStatus.IN_MISSION)
    proposed = PlacementFactory(status=PlacementStatus.PROPOSED)
    completed = PlacementFactory(status=PlacementStatus.COMPLETED)
    procedure_open_for_placement(placement=placement, today=TODAY, now=NOW)
    steps_before = ProcedureStep.objects.filter(procedure__placement=placement).count()

    result = procedures_sync(today=TODAY, now=NOW, batch_size=1)

    assert result.opened == 1
    assert Procedure.objects.filter(placement=running).exists()
    assert not Procedure.objects.filter(placement__in=[proposed, completed]).exists()
    assert ProcedureStep.objects.filter(procedure__placement=placement).count() == steps_before
    assert procedures_sync(today=TODAY, now=NOW).opened == 0


def test_sync_gives_the_same_plan_as_opening_one_by_one(placement, other_placement):
    procedures_sync(today=TODAY, now=NOW)
    synced = {
        p.placement_id: (p.eligible, p.entry_document, p.facts,
                         list(p.steps.order_by("position").values_list("code", "due_from", "due_by")))
        for p in Procedure.objects.all()
    }
    Procedure.objects.all().delete()

    for each in (placement, other_placement):
        procedure_open_for_placement(placement=each, today=TODAY, now=NOW)

    opened = {
        p.placement_id: (p.eligible, p.entry_document, p.facts,
                         list(p.steps.order_by("position").values_list("code", "due_from", "due_by")))
        for p in Procedure.objects.all()
    }
    assert synced == opened


def test_recompute_follows_new_rules_on_untouched_steps_only(placement, host_officer, staff):
    procedure = procedure_open_for_placement(placement=placement, today=TODAY, now=NOW)
    procedure_step_advance(step=procedure.steps.get(code="insurance"), to_status="done",
                           actor=host_officer, now=NOW)
    # The dates move a month later, and the age limit drops below her age.
    placement.start_date, placement.end_date = datetime.date(2027, 4, 1), datetime.date(2027, 9, 30)
    placement.save()
    rules_load_from_files()
    SchemeRule.objects.filter(scheme_id="service_civique", key="age_max").update(value=22)

    result = procedure_recompute(procedure=procedure, today=TODAY, now=NOW, actor=host_officer)

    procedure.refresh_from_db()
    assert procedure.eligible is False and procedure.rules_source == "database"
    steps = {s.code: s for s in procedure.steps.all()}
    assert steps["contract_signature"].due_by == datetime.date(2027, 4, 1)
    assert steps["insurance"].due_by == datetime.date(2027, 3, 1)  # done: left as it was
    assert steps["insurance"].status == "done"
    assert (result.kept, result.added, result.removed) == (1, 0, 0)
    assert result.updated == len(steps) - 1


def test_only_officers_of_the_placement_recompute(placement, outsider, host_viewer):
    procedure = procedure_open_for_placement(placement=placement, today=TODAY, now=NOW)

    for user in (outsider, host_viewer):
        with pytest.raises(NotAllowed):
            procedure_recompute(procedure=procedure, today=TODAY, now=NOW, actor=user)


def test_recompute_removes_untouched_steps_the_new_plan_drops(placement, volunteer_user, staff):
    procedure = procedure_open_for_placement(placement=placement, today=TODAY, now=NOW)
    procedure_step_advance(step=procedure.steps.get(code="visa_application"), to_status="done",
                           actor=volunteer_user, now=NOW)
    placement.nationality = "DE"  # an EU passport after all: free movement, no visa
    placement.save()

    result = procedure_recompute(procedure=procedure, today=TODAY, now=NOW, actor=staff)

    codes = set(procedure.steps.values_list("code", flat=True))
    assert procedure.steps.model.objects.get(procedure=procedure, code="visa_application").status == "done"
    assert not codes & {"reciprocity_request", "invitation_letter", "insurance", "accommodation"}
    assert result.removed == 4 and result.kept == 1
