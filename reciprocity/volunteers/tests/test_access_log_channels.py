"""Every channel that hands out a volunteer's name or identity facts writes the access log:
API reads (one row per person read; one bulk row per list page), the placements export (one
bulk row per file, with the number of persons), and the admin site (change page and list)."""

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from reciprocity.accounts.tests.factories import UserFactory
from reciprocity.balance.services import ledger_backfill
from reciprocity.matching.models import PlacementRun, RunProposal, RunUnplaced
from reciprocity.placements.tests.factories import PlacementFactory
from reciprocity.volunteers.models import (
    AccessAction,
    AccessChannel,
    PersonalDataAccess,
    PersonalDataBulkAccess,
)

pytestmark = pytest.mark.django_db


def only_access(volunteer, actor) -> PersonalDataAccess:
    return PersonalDataAccess.objects.get(volunteer=volunteer, actor=actor)


def only_bulk(actor) -> PersonalDataBulkAccess:
    return PersonalDataBulkAccess.objects.get(actor=actor)


# --- API ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("path", ["placements/{placement}", "applications/{application}",
                                  "procedures/{procedure}"])
def test_an_api_read_of_one_record_is_logged_for_its_person(client, person, host_member, path):
    client.force_login(host_member)
    url = "/api/v1/" + path.format(placement=person.placement.pk,
                                   application=person.choice.application_id,
                                   procedure=person.procedure.pk)

    assert client.get(url).status_code == 200

    row = only_access(person.volunteer, host_member)
    assert (row.action, row.channel) == (AccessAction.VIEW, AccessChannel.API)
    assert row.detail.startswith(f"GET {url}")


@pytest.mark.parametrize("path", ["placements", "applications"])
def test_an_api_list_is_one_bulk_row_with_the_persons_returned(client, person, host_member, path):
    other = PlacementFactory(mission=person.placement.mission)
    client.force_login(host_member)

    body = client.get(f"/api/v1/{path}?limit=50").json()

    row = only_bulk(host_member)
    returned = {item["volunteer_id"] for item in body["items"]}
    assert (row.action, row.channel) == (AccessAction.LIST, AccessChannel.API)
    assert row.persons == len(returned) and set(row.volunteer_ids) == returned
    assert person.volunteer.pk in returned
    if path == "placements":
        assert other.volunteer_id in returned
    assert row.source == f"GET /api/v1/{path}?limit=50"
    assert not PersonalDataAccess.objects.exists()


def test_an_api_list_that_returns_nobody_writes_nothing(client, person):
    client.force_login(UserFactory())

    assert client.get("/api/v1/placements").json()["items"] == []

    assert not PersonalDataBulkAccess.objects.exists()


def test_a_run_s_proposals_and_unplaced_are_bulk_rows(client, person):
    run = PlacementRun.objects.create(label="Summer", status="succeeded",
                                      finished_at=datetime.datetime(2026, 11, 1, tzinfo=datetime.UTC))
    RunProposal.objects.create(run=run, volunteer=person.volunteer, mission=person.placement.mission,
                               rank=1, nationality="SN", gender="F")
    other = PlacementFactory().volunteer
    RunUnplaced.objects.create(run=run, volunteer=other, nationality="SN", gender="F",
                               reason="no_choice", explanation="No eligible choice.")
    client.force_login(person.staff)

    assert client.get(f"/api/v1/matching/runs/{run.pk}/proposals").status_code == 200
    assert client.get(f"/api/v1/matching/runs/{run.pk}/unplaced").status_code == 200

    rows = PersonalDataBulkAccess.objects.filter(actor=person.staff).order_by("pk")
    assert [(r.persons, r.volunteer_ids) for r in rows] == [(1, [person.volunteer.pk]),
                                                           (1, [other.pk])]
    assert rows[0].source.endswith("/proposals") and rows[1].source.endswith("/unplaced")


# --- Bulk export --------------------------------------------------------------------------------

@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_placements_export_is_one_row_with_the_count_of_persons(client, person, fmt):
    second = PlacementFactory(volunteer=person.volunteer, status="completed",
                              start_date=datetime.date(2019, 9, 1), end_date=datetime.date(2019, 12, 31),
                              mission__start_date=datetime.date(2019, 9, 1),
                              mission__end_date=datetime.date(2019, 12, 31))
    third = PlacementFactory(status="completed", start_date=datetime.date(2019, 5, 1),
                             end_date=datetime.date(2019, 6, 30),
                             mission__start_date=datetime.date(2019, 5, 1),
                             mission__end_date=datetime.date(2019, 6, 30))
    ledger_backfill()
    client.force_login(person.staff)

    response = client.get(reverse("balance:placements"), {"year": 2019, "format": fmt})

    assert response.status_code == 200
    if fmt == "xlsx":
        lines = load_workbook(io.BytesIO(response.content)).active.max_row - 1
    else:
        lines = len(response.content.decode("utf-8-sig").strip().splitlines()) - 1
    assert lines == 3  # three placements of two people
    row = only_bulk(person.staff)
    assert (row.action, row.channel) == (AccessAction.EXPORT, AccessChannel.PAGE)
    assert row.persons == 2
    assert row.volunteer_ids == sorted([person.volunteer.pk, third.volunteer_id])
    assert f"format={fmt}" in row.source and second.volunteer_id == person.volunteer.pk


def test_the_placements_page_itself_is_not_an_export(client, person):
    client.force_login(person.staff)

    client.get(reverse("balance:placements"), {"year": 2019})

    assert not PersonalDataBulkAccess.objects.filter(action=AccessAction.EXPORT).exists()


# --- Admin --------------------------------------------------------------------------------------

@pytest.fixture
def admin_user(client):
    user = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(user)
    return user


def test_the_admin_change_page_is_logged_and_shows_the_number_masked(client, person, admin_user):
    url = f"/admin/volunteers/volunteer/{person.volunteer.pk}/change/"

    response = client.get(url)

    html = response.content.decode()
    assert response.status_code == 200
    assert "A12345678" not in html and "••••••678" in html
    assert 'name="id_document_number"' not in html
    row = only_access(person.volunteer, admin_user)
    assert (row.action, row.channel) == (AccessAction.VIEW, AccessChannel.ADMIN)


def test_the_admin_cannot_change_the_number(client, person, admin_user):
    url = f"/admin/volunteers/volunteer/{person.volunteer.pk}/change/"
    from reciprocity.core.tests.test_admin_lifecycle import form_data

    data = form_data(client.get(url).content.decode())
    data.update(id_document_number="ZZ999", phone="+221 70 000 00 00")
    assert client.post(url, data).status_code == 302

    person.volunteer.refresh_from_db()
    assert person.volunteer.id_document_number == "A12345678"
    assert person.volunteer.phone == "+221 70 000 00 00"


def test_the_admin_list_is_one_bulk_row(client, person, admin_user):
    other = PlacementFactory().volunteer

    response = client.get("/admin/volunteers/volunteer/")

    assert response.status_code == 200 and "A12345678" not in response.content.decode()
    row = only_bulk(admin_user)
    assert (row.action, row.channel) == (AccessAction.LIST, AccessChannel.ADMIN)
    assert row.volunteer_ids == sorted([person.volunteer.pk, other.pk]) and row.persons == 2
