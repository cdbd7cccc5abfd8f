"""Cancelling a run, and accepting proposals as a background task (progress, idempotence,
refusals found when the task runs, nothing half-written)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from reciprocity.core.exceptions import InvalidTransition, NotAllowed
from reciprocity.matching import services
from reciprocity.matching.models import (
    AcceptanceStatus,
    PlacementRun,
    ProposalDecision,
    RunAcceptance,
    RunStatus,
)
from reciprocity.matching.tests.conftest import SEASON, Season
from reciprocity.placements.models import Placement, PlacementStatus
from reciprocity.placements.tests.factories import PlacementFactory
from reciprocity.volunteers.tests.factories import VolunteerFactory

pytestmark = pytest.mark.django_db

# The suite's frozen moment (root conftest), passed in as the edges would.
NOW = datetime.datetime(2026, 11, 26, 9, tzinfo=datetime.UTC)


def queued(season: Season) -> PlacementRun:
    return services.run_create(created_by=season.coordinator_user, season_start=SEASON[0],
                               season_end=SEASON[1], organisation=season.coordinator,
                               time_limit=3, start=False)


def executed(season: Season) -> PlacementRun:
    run = services.run_create(created_by=season.staff, season_start=SEASON[0],
                              season_end=SEASON[1], time_limit=3, start=False)
    return services.run_execute(run=run, clock=timezone.now)


# --- cancel ---------------------------------------------------------------------------------------


def test_a_queued_run_is_cancelled_at_once_and_never_executes(season: Season) -> None:
    run = services.run_cancel(run=queued(season), actor=season.coordinator_user, now=NOW)
    assert run.status == RunStatus.CANCELLED and run.finished_at is not None
    assert run.history.order_by("pk").last().actor == season.coordinator_user
    with pytest.raises(InvalidTransition):
        services.run_execute(run=run, clock=timezone.now)
    with pytest.raises(InvalidTransition) as exc:
        services.run_cancel(run=run, actor=season.coordinator_user, now=NOW)
    assert exc.value.code == "run_final"


def test_a_running_run_stops_at_its_next_stage_and_stores_nothing(season: Season) -> None:
    run = queued(season)
    # The cancel arrives while the run is being picked up: the flag is read between stages.
    PlacementRun.objects.filter(pk=run.pk).update(cancel_requested_at=timezone.now())
    run = services.run_execute(run=run, clock=timezone.now)
    assert run.status == RunStatus.CANCELLED and run.stage == "cancelled"
    assert not run.proposals.exists() and not run.unplaced.exists()
    assert [h.to_status for h in run.history.order_by("pk")] == ["queued", "running", "cancelled"]


def test_cancel_of_a_running_run_is_a_request_and_a_dead_worker_ends_it_cancelled(season: Season) -> None:
    run = queued(season)
    PlacementRun.objects.filter(pk=run.pk).update(status=RunStatus.RUNNING, started_at=timezone.now())
    run = services.run_cancel(run=run, actor=season.coordinator_user, now=NOW)
    assert run.status == RunStatus.RUNNING and run.cancel_requested_at is not None
    # The task delivered again after its worker died: the run ends cancelled, not failed.
    assert services.run_fail_interrupted(run_id=run.pk, now=NOW)
    run.refresh_from_db()
    assert run.status == RunStatus.CANCELLED and run.error == ""


def test_only_who_may_run_it_may_cancel_it(season: Season) -> None:
    run = services.run_create(created_by=season.staff, missions=[season.camp_a], start=False)
    with pytest.raises(NotAllowed):
        services.run_cancel(run=run, actor=season.coordinator_user, now=NOW)


def test_cancel_button_on_the_page(client, season: Season) -> None:  # type: ignore[no-untyped-def]
    run = queued(season)
    client.force_login(season.coordinator_user)
    page = client.get(reverse("matching:detail", args=[run.pk])).content.decode()
    assert 'id="cancel-run"' in page and 'http-equiv="refresh"' in page
    response = client.post(reverse("matching:cancel", args=[run.pk]))
    assert response.status_code == 302
    page = client.get(reverse("matching:detail", args=[run.pk])).content.decode()
    assert "Cancelled" in page and 'id="cancel-run"' not in page and 'http-equiv="refresh"' not in page
    assert client.get(reverse("matching:cancel", args=[run.pk])).status_code == 405


# --- acceptance as a task -------------------------------------------------------------------------


def test_acceptance_runs_after_commit_with_its_count(season: Season, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    run = executed(season)
    with django_capture_on_commit_callbacks(execute=True):
        acceptance = services.acceptance_request(run=run, actor=season.staff)
        assert acceptance.status == AcceptanceStatus.QUEUED and acceptance.total == 2
        assert services.acceptance_done(acceptance) == 0
    acceptance.refresh_from_db()
    assert acceptance.status == AcceptanceStatus.SUCCEEDED
    assert (acceptance.done, acceptance.placements_count, acceptance.attempts) == (2, 2, 1)
    assert run.proposals.filter(decision=ProposalDecision.ACCEPTED).count() == 2
    # Delivered again (a retry, a duplicate message): nothing more happens.
    again = services.acceptance_execute(acceptance_id=acceptance.pk, clock=timezone.now)
    assert again.status == AcceptanceStatus.SUCCEEDED and again.attempts == 1
    assert Placement.objects.filter(status=PlacementStatus.PROPOSED).count() == 2


def test_an_interrupted_acceptance_starts_over_then_gives_up(season: Season, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    run = executed(season)
    with django_capture_on_commit_callbacks(execute=False):
        acceptance = services.acceptance_request(run=run, actor=season.staff)
    # A worker took it and died: its transaction rolled back, the row says running.
    RunAcceptance.objects.filter(pk=acceptance.pk).update(status=AcceptanceStatus.RUNNING, attempts=1)
    assert services.acceptance_execute(acceptance_id=acceptance.pk, clock=timezone.now).status == AcceptanceStatus.SUCCEEDED

    other = executed(season)
    assert other.proposals.count() == 0  # everyone is placed now; make a fresh request by hand
    stuck = RunAcceptance.objects.create(run=run, requested_by=season.staff, proposals=[],
                                         status=AcceptanceStatus.RUNNING, attempts=3)
    failed = services.acceptance_execute(acceptance_id=stuck.pk, clock=timezone.now)
    assert failed.status == AcceptanceStatus.FAILED and "interrupted 3 times" in failed.error


def test_room_taken_before_the_task_runs_fails_it_with_nothing_written(season: Season, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    run = executed(season)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        acceptance = services.acceptance_request(run=run, actor=season.staff)
    PlacementFactory(volunteer=VolunteerFactory(nationality="ML"), mission=season.camp_b)
    for callback in callbacks:
        callback()
    acceptance.refresh_from_db()
    assert acceptance.status == AcceptanceStatus.FAILED and acceptance.finished_at is not None
    assert [p["code"] for p in acceptance.problems] == ["mission_full"]
    assert not run.proposals.filter(decision=ProposalDecision.ACCEPTED).exists()
    # The page says why; a new request is possible (no acceptance left active).
    assert not RunAcceptance.objects.filter(run=run, status__in=["queued", "running"]).exists()
