"""Reading and checking missions and volunteers files: every invalid row is reported with its
line and reason, and nothing is written when any row is invalid; a re-import changes nothing."""

from datetime import date

import pytest
from django.utils import timezone

from reciprocity.imports.models import ImportKind
from reciprocity.imports.permissions import OPERATOR, Permit
from reciprocity.imports.services import import_check, import_preview
from reciprocity.imports.tests.helpers import (
    MISSION_HEADER,
    VOLUNTEER_HEADER,
    csv_bytes,
    mission_line,
    volunteer_line,
    xlsx_bytes,
)
from reciprocity.missions.models import Mission
from reciprocity.missions.tests.factories import MissionFactory
from reciprocity.partners.tests.factories import OrganisationFactory
from reciprocity.volunteers.models import Volunteer
from reciprocity.volunteers.tests.factories import VolunteerFactory

TODAY = date(2026, 11, 26)
pytestmark = pytest.mark.django_db


@pytest.fixture
def host():
    return OrganisationFactory(name="Maison des Solidarités", country="FR", is_host=True)


@pytest.fixture
def sender():
    return OrganisationFactory(name="Espace Volontariats", country="TN", is_host=False,
                               is_sending=True)


def check(kind, data, name="file.csv", permit=OPERATOR):
    return import_check(kind=kind, name=name, data=data, permit=permit, today=TODAY)[1]


def preview(kind, data, name="file.csv", permit=OPERATOR):
    return import_preview(kind=kind, name=name, data=data, permit=permit, actor=None, today=TODAY)


@pytest.mark.parametrize("delimiter", [",", ";"])
@pytest.mark.parametrize("bom", [False, True])
def test_csv_with_commas_or_semicolons_with_or_without_bom(host, delimiter, bom):
    data = csv_bytes(MISSION_HEADER, [mission_line("WC-1"), mission_line("WC-2")],
                     delimiter=delimiter, bom=bom)

    report = preview(ImportKind.MISSIONS, data)

    assert report.valid, report.errors
    assert (report.rows, report.created, report.updated, report.unchanged) == (2, 2, 0, 0)
    assert not Mission.objects.exists()  # a preview writes nothing


def test_xlsx_with_real_dates_numbers_and_empty_optional_cells(host):
    header = MISSION_HEADER.split(",")
    row = dict.fromkeys(header, None) | {
        "mission_ref": "WC-9", "host_org": "Maison des Solidarités", "host_country": "FR",
        "scheme": "workcamp", "title": "Chantier", "city": "Lyon",
        "start_date": date(2027, 7, 1), "end_date": date(2027, 7, 21), "capacity": 10.0}
    data = xlsx_bytes([header, [row[c] for c in header]])

    report = preview(ImportKind.MISSIONS, data, name="missions.xlsx")

    assert report.valid, report.errors
    assert report.created == 1


def test_every_invalid_row_is_reported_with_its_line_and_nothing_is_written(host):
    lines = [
        mission_line("WC-1"),
        mission_line("WC-2", capacity="99999999999999999999"),            # line 3
        mission_line("WC-3", start="2027-02-30"),                          # line 4
        mission_line("WC-4", host_country="ZZ"),                           # line 5
        mission_line("WC-5", host="Unknown host"),                         # line 6
        mission_line("WC-6", capacity="", title=""),                       # line 7
        mission_line("WC-7", end="2027-06-01"),                            # line 8
    ]
    report = preview(ImportKind.MISSIONS, csv_bytes(MISSION_HEADER, lines))

    reasons = dict(report.errors)
    assert sorted(reasons) == [3, 4, 5, 6, 7, 8]
    assert "capacity '99999999999999999999' is not a whole number" in reasons[3]
    assert "start_date '2027-02-30' is not an ISO date" in reasons[4]
    assert "host_country 'ZZ' is not an ISO 3166-1 alpha-2 code" in reasons[5]
    assert "is not a host organisation" in reasons[6]
    assert "title is empty" in reasons[7] and "capacity is empty" in reasons[7]
    assert "end_date:" in reasons[8]
    assert report.created == 0 and not Mission.objects.exists()


def test_formula_looking_text_is_stored_quoted_with_a_warning(host):
    data = csv_bytes(MISSION_HEADER, [mission_line("WC-1", title="=HYPERLINK(1)")])

    checked, report = import_check(kind=ImportKind.MISSIONS, name="f.csv", data=data,
                                   permit=OPERATOR, today=TODAY)

    assert report.valid
    assert checked.rows[0].data.title == "'=HYPERLINK(1)"
    assert report.warnings and "title starts with '='" in report.warnings[0][1]


def test_missing_column_and_unreadable_file():
    assert "missing column(s): mission_ref" in check(
        ImportKind.MISSIONS, b"host_org,title\nx,y\n").file_error
    assert check(ImportKind.MISSIONS, b"\xff\xfe\x00bad").file_error
    assert "unreadable XLSX" in check(ImportKind.MISSIONS, b"PK\x03\x04junk", "f.xlsx").file_error


def test_repeated_rows_count_once_and_conflicting_ones_are_refused(host):
    same = preview(ImportKind.MISSIONS, csv_bytes(
        MISSION_HEADER, [mission_line("WC-1"), mission_line("WC-1")]))
    assert same.valid and same.created == 1 and "repeats line 2" in same.warnings[0][1]

    conflict = check(ImportKind.MISSIONS, csv_bytes(
        MISSION_HEADER, [mission_line("WC-1"), mission_line("WC-1", title="Autre")]))
    assert conflict.errors == [(3, "same host_org and mission_ref as line 2, with different "
                                   "values")]


def test_missions_are_matched_on_host_and_reference(host):
    existing = MissionFactory(host=host, reference="WC-1", title="Old title", scheme_id="workcamp")
    report = preview(ImportKind.MISSIONS, csv_bytes(MISSION_HEADER, [mission_line("WC-1")]))
    assert (report.created, report.updated) == (0, 1)
    existing.refresh_from_db()
    assert existing.title == "Old title"  # preview rolled back


def test_a_host_officer_imports_for_their_own_host_only(host):
    other = OrganisationFactory(name="Other host", country="FR", is_host=True)
    permit = Permit(organisation_ids=frozenset({host.pk}))
    report = check(ImportKind.MISSIONS, csv_bytes(
        MISSION_HEADER, [mission_line("WC-1"), mission_line("WC-2", host="Other host")]),
        permit=permit)
    assert report.errors == [(3, f"you may not import missions for {other.name}")]


def test_volunteers_are_created_then_unchanged_on_reimport(sender):
    from reciprocity.imports.services import batch_create, batch_execute

    data = csv_bytes(VOLUNTEER_HEADER, [volunteer_line("TN-1"), volunteer_line("TN-2", email="")])
    for expected in [(2, 0, 0), (0, 0, 2)]:
        batch = batch_create(kind=ImportKind.VOLUNTEERS, name="v.csv", data=data, actor=None,
                             source="cli")
        batch = batch_execute(batch_id=batch.pk, today=TODAY, now=timezone.now)
        assert batch.status == "done", batch.report
        assert (batch.created, batch.updated, batch.unchanged) == expected
    assert Volunteer.objects.get(reference="TN-1").sending_organisation == sender


def test_volunteer_rows_are_checked(sender):
    VolunteerFactory(reference="TAKEN", sending_organisation=OrganisationFactory(name="Else"))
    permit = Permit(organisation_ids=frozenset({sender.pk}))
    report = check(ImportKind.VOLUNTEERS, csv_bytes(VOLUNTEER_HEADER, [
        volunteer_line("TN-1", email="not-an-address"),
        volunteer_line("TN-2", gender="Q", nationality="XX", birth_date="01/02/2000"),
        volunteer_line("TAKEN"),
        volunteer_line("TN-4", birth_date="2030-01-01"),
    ]), permit=permit)
    reasons = dict(report.errors)
    assert "email 'not-an-address' is not an e-mail address" in reasons[2]
    assert "gender 'Q' is not one of F, M, X" in reasons[3]
    assert "nationality 'XX'" in reasons[3] and "birth_date '01/02/2000'" in reasons[3]
    assert "already used by a volunteer you may not change" in reasons[4]
    assert "birth_date is not in the past" in reasons[5]


def test_placements_kind_keeps_its_checks():
    from reciprocity.balance.tests.test_import import HEADER, VALID

    report = preview(ImportKind.PLACEMENTS, csv_bytes(HEADER, VALID))
    assert report.valid and report.created == 3
