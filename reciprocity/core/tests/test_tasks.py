"""Celery set-up: eager without REDIS_URL, the beat schedule, the daily jobs, e-mails; and one
test against a real Redis and worker when REDIS_URL is set (marker `redis`)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.core.management import get_commands

from reciprocity.celery import app
from reciprocity.core import tasks
from reciprocity.notifications.tasks import send_notification_emails


def test_without_redis_tasks_run_in_process():
    if os.environ.get("REDIS_URL"):
        pytest.skip("REDIS_URL is set")
    assert app.conf.task_always_eager is True
    assert tasks.ping.delay().get() == "pong"
    assert django_settings.MATCHING_RUNNER == "thread"


def test_the_beat_schedule_runs_every_daily_job_through_an_existing_command():
    schedule = django_settings.CELERY_BEAT_SCHEDULE
    assert set(schedule) == set(tasks.DAILY_JOBS)
    commands = get_commands()
    for name, entry in schedule.items():
        assert entry["task"] == "reciprocity.core.tasks.run_job"
        assert entry["args"] == (name,)
        assert tasks.DAILY_JOBS[name][0] in commands
    assert app.conf.task_acks_late and app.conf.task_reject_on_worker_lost


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(tasks.DAILY_JOBS))
def test_every_daily_job_runs_its_command_and_twice_is_harmless(name):
    first = tasks.run_job.apply(args=[name], throw=True).get()
    second = tasks.run_job.apply(args=[name], throw=True).get()
    assert first == second


def test_an_unknown_job_is_refused():
    with pytest.raises(ValueError, match="unknown job"):
        tasks.run_job.apply(args=["rm-rf"], throw=True).get()


def test_notification_emails_task_sends_them():
    assert send_notification_emails.apply(
        args=[[["Subject", "Text", "/x/", "someone@example.org"]]]).get() == 1
    assert [m.to for m in mail.outbox] == [["someone@example.org"]]


@pytest.mark.redis
def test_a_real_worker_answers_through_redis(tmp_path):
    url = os.environ.get("REDIS_URL")
    if not url:
        pytest.skip("REDIS_URL is not set: no Redis to test against")
    celery = str(Path(sys.executable).with_name("celery"))
    worker = subprocess.Popen(
        [celery, "-A", "reciprocity", "worker", "--pool=solo", "--concurrency=1",
         "--loglevel=WARNING", "--hostname", f"test-{os.getpid()}@%h"],
        env={**os.environ, "REDIS_URL": url}, stdout=subprocess.DEVNULL,
        stderr=open(tmp_path / "worker.log", "w"))  # noqa: SIM115
    try:
        assert tasks.ping.apply_async().get(timeout=30) == "pong"
        from reciprocity.core.health import check_worker

        assert check_worker() is None
    finally:
        worker.terminate()
        worker.wait(timeout=20)
