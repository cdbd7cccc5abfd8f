"""Ticking steps: who may tick what, the allowed moves, and the history of each change."""

import datetime

import pytest

from reciprocity.core.exceptions import ApplicationError, InvalidTransition, NotAllowed
from reciprocity.placements.models import PlacementStatus
from reciprocity.procedures.models import StepStatusChange
from reciprocity.procedures.services import procedure_open_for_placement, procedure_step_advance
from reciprocity.procedures.tests.conftest import TODAY

pytestmark = pytest.mark.django_db

# The suite's frozen moment (root conftest), passed in as the edges would.
NOW = datetime.datetime(2026, 11, 26, 9, tzinfo=datetime.UTC)


@pytest.fixture
def procedure(placement):  # type: ignore[no-untyped-def]
    return procedure_open_for_placement(placement=placement, today=TODAY, now=NOW)


def test_a_host_officer_ticks_a_host_step_and_the_change_is_recorded(procedure, host_officer):
    step = procedure.steps.get(code="insurance")

    procedure_step_advance(step=step, to_status="in_progress", actor=host_officer, note="Asked AXA", now=NOW)
    procedure_step_advance(step=step, to_status="done", actor=host_officer, now=NOW)

    step.refresh_from_db()
    assert step.status == "done"
    history = list(StepStatusChange.objects.filter(step=step).order_by("id").values_list(
        "from_status", "to_status", "actor__username", "note"))
    assert history == [("to_do", "in_progress", "helene", "Asked AXA"),
                       ("in_progress", "done", "helene", "")]


@pytest.mark.parametrize("who", ["host_viewer", "sender_officer", "outsider", "volunteer_user"])
def test_others_may_not_tick_a_host_step(procedure, request, who):
    step = procedure.steps.get(code="insurance")

    with pytest.raises(NotAllowed):
        procedure_step_advance(step=step, to_status="done", actor=request.getfixturevalue(who), now=NOW)

    step.refresh_from_db()
    assert step.status == "to_do"
    assert not step.history.exists()


@pytest.mark.parametrize("who", ["volunteer_user", "sender_officer", "staff"])
def test_the_volunteer_the_sender_and_staff_tick_a_volunteer_step(procedure, request, who):
    step = procedure.steps.get(code="visa_application")

    procedure_step_advance(step=step, to_status="done", actor=request.getfixturevalue(who), now=NOW)

    step.refresh_from_db()
    assert step.status == "done"


def test_the_host_may_not_tick_a_volunteer_step(procedure, host_officer):
    with pytest.raises(NotAllowed):
        procedure_step_advance(step=procedure.steps.get(code="visa_application"),
                               to_status="done", actor=host_officer, now=NOW)


def test_a_move_outside_the_transitions_is_refused(procedure, host_officer):
    step = procedure.steps.get(code="insurance")
    procedure_step_advance(step=step, to_status="done", actor=host_officer, now=NOW)

    with pytest.raises(InvalidTransition) as caught:
        procedure_step_advance(step=step, to_status="not_applicable", actor=host_officer,
                               note="changed my mind", now=NOW)

    assert caught.value.details["allowed"] == ["in_progress"]
    assert step.history.count() == 1


def test_blocking_needs_a_note(procedure, host_officer):
    step = procedure.steps.get(code="accommodation")

    with pytest.raises(ApplicationError) as caught:
        procedure_step_advance(step=step, to_status="blocked", actor=host_officer, note="  ", now=NOW)
    assert caught.value.code == "note_required"

    procedure_step_advance(step=step, to_status="blocked", actor=host_officer,
                           note="No room before March", now=NOW)
    step.refresh_from_db()
    assert step.status == "blocked"


def test_an_unknown_status_is_refused(procedure, staff):
    with pytest.raises(ApplicationError) as caught:
        procedure_step_advance(step=procedure.steps.first(), to_status="finished", actor=staff, now=NOW)
    assert caught.value.code == "invalid_status"


def test_steps_of_a_cancelled_placement_cannot_move(procedure, placement, host_officer):
    placement.status = PlacementStatus.CANCELLED
    placement.save()

    with pytest.raises(InvalidTransition) as caught:
        procedure_step_advance(step=procedure.steps.get(code="insurance"), to_status="done",
                               actor=host_officer, now=NOW)
    assert caught.value.code == "procedure_closed"


def test_a_coordinator_step_is_ticked_by_a_coordinator_party(placement, staff, host, host_officer):
    placement.mission.scheme_id = "esc"
    placement.mission.save()
    procedure = procedure_open_for_placement(placement=placement, today=TODAY, now=NOW)
    step = procedure.steps.get(code="insurance")
    assert step.owner == "coordinator"

    with pytest.raises(NotAllowed):
        procedure_step_advance(step=step, to_status="done", actor=host_officer, now=NOW)

    host.is_coordinator = True
    host.save()
    procedure_step_advance(step=step, to_status="done", actor=host_officer, now=NOW)
    step.refresh_from_db()
    assert step.status == "done"
