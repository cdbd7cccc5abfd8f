"""Placement runs through Celery (eager here: no REDIS_URL), idempotent on redelivery."""

import pytest

from reciprocity.matching import services
from reciprocity.matching.models import RunStatus
from reciprocity.matching.tasks import placement_run_execute
from reciprocity.matching.tests.conftest import SEASON, Season

pytestmark = pytest.mark.django_db


def test_the_celery_runner_executes_the_run_after_commit(
        season: Season, settings, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    settings.MATCHING_RUNNER = "celery"
    with django_capture_on_commit_callbacks(execute=True):
        run = services.run_create(created_by=season.staff, season_start=SEASON[0],
                                  season_end=SEASON[1], time_limit=2)
    run.refresh_from_db()
    assert run.status == RunStatus.SUCCEEDED


def test_a_finished_run_delivered_again_is_left_alone(season: Season) -> None:
    run = services.run_create(created_by=season.staff, missions=[season.camp_a], start=False)
    assert placement_run_execute.apply(args=[run.pk]).get() == RunStatus.SUCCEEDED
    finished_at = type(run).objects.get(pk=run.pk).finished_at
    assert placement_run_execute.apply(args=[run.pk]).get() == RunStatus.SUCCEEDED
    assert type(run).objects.get(pk=run.pk).finished_at == finished_at


def test_a_run_left_running_by_a_dead_worker_is_failed_with_its_reason(season: Season) -> None:
    run = services.run_create(created_by=season.staff, missions=[season.camp_a], start=False)
    run.status = RunStatus.RUNNING
    run.save(update_fields=["status"])
    assert placement_run_execute.apply(args=[run.pk]).get() == RunStatus.FAILED
    run.refresh_from_db()
    assert run.status == RunStatus.FAILED
    assert "worker stopped" in run.error


def test_a_deleted_run_is_not_an_error() -> None:
    assert placement_run_execute.apply(args=[987654]).get() == "missing"
