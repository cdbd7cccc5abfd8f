"""The daily reminder: one e-mail per owner of steps due soon or overdue, sent after commit."""

import datetime

import pytest
from django.core import mail
from django.core.management import call_command

from reciprocity.notifications.models import Notification
from reciprocity.procedures.models import ProcedureStep
from reciprocity.procedures.reminders import procedures_remind
from reciprocity.procedures.services import procedure_open_for_placement
from reciprocity.procedures.tests.conftest import NOW, TODAY

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def procedure(placement):  # type: ignore[no-untyped-def]
    procedure = procedure_open_for_placement(placement=placement, today=TODAY, now=NOW)
    # Only two steps fall in the reminder window: one host step overdue, one volunteer step soon.
    ProcedureStep.objects.filter(procedure=procedure).update(due_by=D(2027, 6, 1))
    ProcedureStep.objects.filter(procedure=procedure, code="insurance").update(due_by=D(2026, 11, 20))
    ProcedureStep.objects.filter(procedure=procedure, code="visa_application").update(
        due_by=D(2026, 11, 30))
    return procedure


def test_each_owner_gets_one_email_listing_their_steps(
        procedure, host_officer, host_viewer, volunteer_user, sender_officer,
        django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        result = procedures_remind(today=TODAY, now=NOW, days=7)

    assert len(callbacks) == 2  # the e-mails leave only once the transaction commits
    assert result.people == 2 and result.steps == 2
    by_address = {m.to[0]: m for m in mail.outbox}
    assert set(by_address) == {host_officer.email, volunteer_user.email}
    host_mail = by_address[host_officer.email].body
    assert "overdue since 20 November 2026" in host_mail
    assert "visa" not in host_mail.lower()
    assert "due by 30 November 2026" in by_address[volunteer_user.email].body
    assert Notification.objects.filter(user=host_officer, verb="procedure.steps_due").count() == 1


def test_nothing_is_sent_before_commit(procedure, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        procedures_remind(today=TODAY, now=NOW, days=7)

    assert mail.outbox == []


def test_done_steps_and_steps_beyond_the_window_are_not_reminded(procedure, host_officer,
                                                                  django_capture_on_commit_callbacks):
    ProcedureStep.objects.filter(procedure=procedure, code="insurance").update(status="done")

    with django_capture_on_commit_callbacks(execute=True):
        beyond = procedures_remind(today=TODAY, now=NOW, days=3)  # the visa step is due in 4 days
    assert beyond.steps == 0 and mail.outbox == []

    with django_capture_on_commit_callbacks(execute=True):
        within = procedures_remind(today=TODAY, now=NOW, days=4)
    assert within.steps == 1
    assert [m.to[0] for m in mail.outbox] == ["awa@example.org"]


def test_volunteer_steps_go_to_the_sender_when_the_volunteer_has_no_account(
        procedure, placement, sender_officer, django_capture_on_commit_callbacks):
    placement.volunteer.user = None
    placement.volunteer.save()

    with django_capture_on_commit_callbacks(execute=True):
        procedures_remind(today=TODAY, now=NOW, days=7)

    assert sender_officer.email in {m.to[0] for m in mail.outbox}


def test_the_command_reports_in_json(procedure, host_officer, capsys,
                                     django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("procedures", "remind", "--today", "2026-11-26", "--days", "7", "--json")

    assert capsys.readouterr().out.strip() == '{"people": 2, "steps": 2, "today": "2026-11-26"}'


def test_a_long_list_is_cut_with_a_pointer_to_the_due_page(
        procedure, volunteer_user, django_capture_on_commit_callbacks, monkeypatch):
    from reciprocity.procedures import reminders

    monkeypatch.setattr(reminders, "MAX_LINES", 1)
    ProcedureStep.objects.filter(procedure=procedure, owner="volunteer").update(due_by=D(2026, 11, 1))

    with django_capture_on_commit_callbacks(execute=True):
        procedures_remind(today=TODAY, now=NOW, days=0)

    body = next(m.body for m in mail.outbox if m.to == [volunteer_user.email])
    assert body.count("overdue since") == 1
    assert "and 1 more" in body


def test_running_the_daily_job_twice_reminds_nobody_twice(
        procedure, host_officer, volunteer_user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = procedures_remind(today=TODAY, now=NOW, days=7)
    with django_capture_on_commit_callbacks(execute=True):
        second = procedures_remind(today=TODAY, now=NOW, days=7)

    assert (first.people, second.people) == (2, 0)
    assert len(mail.outbox) == 2
    assert Notification.objects.filter(verb="procedure.steps_due").count() == 2
