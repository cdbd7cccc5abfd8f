"""Anonymisation after the retention period: what goes, what stays, who is due, idempotence,
the command and the staff page; and the statistics that must not move."""

import datetime
import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.forms.models import model_to_dict

from reciprocity.accounts.models import User
from reciprocity.applications.models import Application, ApplicationStatus
from reciprocity.applications.tests.factories import ApplicationFactory
from reciprocity.balance.models import LedgerEntry, LedgerTotal
from reciprocity.balance.selectors import network_balance, yearly_series
from reciprocity.balance.services import ledger_backfill
from reciprocity.balance.tests.helpers import make_placement
from reciprocity.core.exceptions import ApplicationError
from reciprocity.notifications.models import Notification
from reciprocity.placements.models import Evaluation, FollowUp, Placement
from reciprocity.placements.tests.factories import PlacementFactory
from reciprocity.procedures.models import ProcedureDocument
from reciprocity.volunteers.models import AccessAction, AccessChannel, PersonalDataAccess, Volunteer
from reciprocity.volunteers.tests.factories import VolunteerFactory
from reciprocity.workflow.personal_data import (
    anonymisation_candidates,
    volunteer_anonymise,
    volunteer_export,
)

pytestmark = pytest.mark.django_db

# The suite's frozen moment (root conftest), passed in as the edges would.
NOW = datetime.datetime(2026, 11, 26, 9, tzinfo=datetime.UTC)
D = datetime.date


def anonymise(volunteer, captured, actor=None):  # type: ignore[no-untyped-def]
    with captured(execute=True):
        return volunteer_anonymise(volunteer=volunteer, actor=actor, now=NOW)


def due(today, **kwargs):  # type: ignore[no-untyped-def]
    found, _cutoff = anonymisation_candidates(today=today, retention_months=60, **kwargs)
    return [c.volunteer.pk for c in found]


def test_identity_goes_and_what_statistics_count_stays(person, django_capture_on_commit_callbacks,
                                                       settings):
    file_path = Path(settings.MEDIA_ROOT) / person.document.file.name
    assert file_path.exists()
    placement_before = model_to_dict(Placement.objects.get(pk=person.placement.pk))

    assert anonymise(person.volunteer, django_capture_on_commit_callbacks) is True

    v = Volunteer.objects.get(pk=person.volunteer.pk)
    assert v.reference.startswith("ANON-") and v.reference != "SN-2019-0042"
    assert (v.first_name, v.last_name, v.email, v.phone) == ("", "", "", "")
    assert (v.id_document_kind, v.id_document_number, v.id_document_expiry) == ("", "", None)
    assert v.other_nationalities == [] and v.languages == []
    assert v.birth_date == D(1999, 7, 1)  # the year survives for age statistics
    assert (v.gender, str(v.nationality), str(v.residence_country)) == ("F", "SN", "SN")
    assert v.user is None and v.anonymised_at is not None
    account = User.objects.get(pk=person.user.pk)
    assert not account.is_active and not account.has_usable_password()
    assert (account.username, account.email, account.first_name) != ("awa", "awa@example.org", "Awa")
    assert not Notification.objects.filter(user=account).exists()
    assert not ProcedureDocument.objects.filter(procedure=person.procedure).exists()
    assert not file_path.exists()
    assert model_to_dict(Placement.objects.get(pk=person.placement.pk)) == placement_before
    person.procedure.refresh_from_db()
    assert person.procedure.facts["birth_date"] == "1999-07-01"
    assert person.procedure.facts["nationalities"] == ["SN"]
    assert Application.objects.get(pk=person.choice.application_id).motivation == ""
    evaluation = Evaluation.objects.get(placement=person.placement)
    assert evaluation.comments == "" and evaluation.mission_rating == 4
    assert FollowUp.objects.get(placement=person.placement).situation == "studies"
    [log] = PersonalDataAccess.objects.filter(action=AccessAction.ANONYMISE)
    assert log.actor is None and log.channel == AccessChannel.COMMAND and log.volunteer_id == v.pk
    # Nothing left that names her.
    exported = json.dumps(volunteer_export(volunteer=v, now=NOW), ensure_ascii=False)
    for trace in ("Ndiaye", "Awa", "awa@", "A12345678", "SN-2019-0042", "+221", "Passeport",
                  "Je veux", "Très investie", "1999-05-17", "GM"):
        assert trace not in exported, trace


def test_anonymising_twice_changes_nothing_the_second_time(person, django_capture_on_commit_callbacks):
    assert anonymise(person.volunteer, django_capture_on_commit_callbacks) is True
    reference = Volunteer.objects.get(pk=person.volunteer.pk).reference
    assert anonymise(person.volunteer, django_capture_on_commit_callbacks) is False
    assert Volunteer.objects.get(pk=person.volunteer.pk).reference == reference
    assert PersonalDataAccess.objects.filter(action=AccessAction.ANONYMISE).count() == 1


def test_refused_while_a_placement_has_not_ended(person, django_capture_on_commit_callbacks):
    make_placement(origin="SN", host="FR", start=D(2026, 9, 1), end=D(2027, 6, 30),
                   status="in_mission", volunteer=person.volunteer)
    with pytest.raises(ApplicationError) as exc:
        anonymise(person.volunteer, django_capture_on_commit_callbacks)
    assert exc.value.code == "anonymisation_refused"
    assert Volunteer.objects.get(pk=person.volunteer.pk).last_name == "Ndiaye"
    assert ProcedureDocument.objects.exists()


def test_refused_while_an_application_is_open(person, django_capture_on_commit_callbacks):
    ApplicationFactory(volunteer=person.volunteer, status=ApplicationStatus.SUBMITTED)
    with pytest.raises(ApplicationError):
        anonymise(person.volunteer, django_capture_on_commit_callbacks)
    assert Volunteer.objects.get(pk=person.volunteer.pk).anonymised_at is None


def test_who_is_due_after_sixty_months_from_the_last_activity(person):
    pk = person.volunteer.pk  # last activity: the mission ended on 2019-08-31
    assert pk not in due(D(2024, 8, 31))
    assert pk in due(D(2024, 9, 1))
    assert pk not in due(D(2026, 11, 26), ended_before=D(2019, 8, 31))
    assert pk in due(D(2026, 11, 26), ended_before=D(2019, 9, 1))


def test_a_recent_sign_in_an_open_application_or_a_running_placement_keeps_the_data(person):
    User.objects.filter(pk=person.user.pk).update(
        last_login=datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC))
    assert person.volunteer.pk not in due(D(2026, 11, 26))
    User.objects.filter(pk=person.user.pk).update(last_login=None)
    application = ApplicationFactory(volunteer=person.volunteer, status=ApplicationStatus.DRAFT)
    Application.objects.filter(pk=application.pk).update(
        updated_at=datetime.datetime(2019, 1, 1, tzinfo=datetime.UTC))
    assert person.volunteer.pk not in due(D(2026, 11, 26))
    Application.objects.filter(pk=application.pk).update(status=ApplicationStatus.WITHDRAWN)
    assert person.volunteer.pk in due(D(2026, 11, 26))
    PlacementFactory(volunteer=person.volunteer, status="confirmed")
    assert person.volunteer.pk not in due(D(2030, 1, 1))


def test_a_bare_record_counts_from_its_creation(db):
    bare = VolunteerFactory()
    assert bare.pk not in due(D(2026, 11, 26))
    assert bare.pk in due(D(2031, 12, 1))


def test_the_setting_sets_the_retention_period(person, settings):
    settings.PERSONAL_DATA_RETENTION_MONTHS = 12
    out = io.StringIO()
    call_command("volunteers", "anonymise", "--today", "2020-09-01", "--dry-run", "--json", stdout=out)
    body = json.loads(out.getvalue())
    assert body["cutoff"] == "2019-09-01" and body["retention_months"] == 12
    assert [c["reference"] for c in body["candidates"]] == ["SN-2019-0042"]


def test_the_command_dry_run_changes_nothing_then_the_real_run_anonymises_once(
        person, django_capture_on_commit_callbacks):
    out = io.StringIO()
    call_command("volunteers", "anonymise", "--today", "2026-11-26", "--dry-run", stdout=out)
    assert "would anonymise SN-2019-0042 (last activity 2019-08-31)" in out.getvalue()
    assert Volunteer.objects.get(pk=person.volunteer.pk).anonymised_at is None

    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("volunteers", "anonymise", "--today", "2026-11-26", "--json", stdout=out)
    body = json.loads(out.getvalue())
    [done] = body["anonymised"]
    assert done["id"] == person.volunteer.pk and done["reference"].startswith("ANON-")
    # The real run never prints the old reference next to the new one.
    assert "SN-2019-0042" not in out.getvalue()

    out = io.StringIO()
    call_command("volunteers", "anonymise", "--today", "2026-11-26", stdout=out)
    assert "0 volunteer(s) to anonymise" in out.getvalue()
    assert PersonalDataAccess.objects.filter(action=AccessAction.ANONYMISE).count() == 1


def figures(staff):  # type: ignore[no-untyped-def]
    """Everything the statistics read: the annual reports, the network balance, the yearly
    series and the ledger itself."""
    reports = []
    for country in ("FR", "SN"):
        out = io.StringIO()
        call_command("report", "annual", "--year", "2019", "--host-country", country, "--json",
                     stdout=out)
        reports.append(json.loads(out.getvalue()))
    balance = network_balance(user=staff, year=2019)
    return {
        "reports": reports,
        "pairs": repr(balance["pairs"]), "countries": repr(balance["countries"]),
        "series": repr(yearly_series(user=staff, country="FR")),
        "ledger": list(LedgerEntry.objects.order_by("pk").values()),
        "totals": list(LedgerTotal.objects.order_by("pk").values()),
    }


def test_reports_and_balance_give_the_same_figures_before_and_after(
        person, django_capture_on_commit_callbacks):
    interrupted = make_placement(origin="TN", host="FR", start=D(2019, 2, 1), end=D(2019, 9, 30),
                                 status="interrupted", ended_on=D(2019, 5, 1), gender="M")
    make_placement(origin="SN", host="FR", start=D(2019, 4, 1), end=D(2019, 10, 31),
                   status="cancelled")
    make_placement(origin="FR", host="SN", start=D(2019, 1, 15), end=D(2019, 12, 15),
                   scheme="vsi", status="completed", gender="X")
    running = make_placement(origin="SN", host="FR", start=D(2019, 10, 1), end=D(2027, 1, 31),
                             status="in_mission")
    ledger_backfill()
    before = figures(person.staff)
    assert before["reports"][0]["hosted"]["volunteers"] == 3 and before["ledger"]

    with django_capture_on_commit_callbacks(execute=True):
        call_command("volunteers", "anonymise", "--today", "2026-11-26", stdout=io.StringIO())

    anonymised = set(Volunteer.objects.filter(anonymised_at__isnull=False).values_list("pk", flat=True))
    assert {person.volunteer.pk, interrupted.volunteer_id} <= anonymised
    assert running.volunteer_id not in anonymised
    assert figures(person.staff) == before


def test_staff_anonymise_from_the_page_after_confirming(client, person, django_capture_on_commit_callbacks):
    url = f"/volunteers/{person.volunteer.pk}/anonymise/"
    client.force_login(person.staff)
    assert url in client.get(f"/volunteers/{person.volunteer.pk}/").content.decode()
    page = client.get(url)
    assert page.status_code == 200 and "I confirm" in page.content.decode()
    client.post(url)  # without the box ticked
    assert Volunteer.objects.get(pk=person.volunteer.pk).anonymised_at is None
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"confirm": "1"}, follow=True)
    assert "were anonymised" in response.content.decode()
    v = Volunteer.objects.get(pk=person.volunteer.pk)
    assert v.anonymised_at is not None and v.last_name == ""
    log = PersonalDataAccess.objects.get(action=AccessAction.ANONYMISE)
    assert log.actor == person.staff and log.channel == AccessChannel.PAGE
    assert url not in client.get(f"/volunteers/{v.pk}/").content.decode()


def test_the_page_refuses_while_a_placement_runs(client, person):
    make_placement(origin="SN", host="FR", start=D(2026, 9, 1), end=D(2027, 6, 30),
                   status="in_mission", volunteer=person.volunteer)
    url = f"/volunteers/{person.volunteer.pk}/anonymise/"
    client.force_login(person.staff)
    page = client.get(url)
    assert page.status_code == 409 and "placement that has not ended" in page.content.decode()
    client.post(url, {"confirm": "1"})
    assert Volunteer.objects.get(pk=person.volunteer.pk).anonymised_at is None


@pytest.mark.parametrize("who", ["host_member", "sender_admin", "the_volunteer"])
def test_only_staff_may_anonymise(client, person, who, request):
    user = person.user if who == "the_volunteer" else request.getfixturevalue(who)
    client.force_login(user)
    url = f"/volunteers/{person.volunteer.pk}/anonymise/"
    assert url not in client.get(f"/volunteers/{person.volunteer.pk}/").content.decode()
    assert client.get(url).status_code == 403
    assert client.post(url, {"confirm": "1"}).status_code == 403
    assert Volunteer.objects.get(pk=person.volunteer.pk).anonymised_at is None


def test_strangers_get_not_found(client, person, outsider):
    client.force_login(outsider)
    assert client.post(f"/volunteers/{person.volunteer.pk}/anonymise/", {"confirm": "1"}).status_code == 404
