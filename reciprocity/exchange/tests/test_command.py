"""`reciprocity exchange`: the command-line contract, run as the console script runs it."""

import datetime
import json
from datetime import date
from unittest import mock

import pytest
from django.core.management import ManagementUtility
from django.core.management import base as management_base
from django.db import connection

from reciprocity.applications.models import Application, ApplicationChoice
from reciprocity.exchange.formats import project_id_for
from reciprocity.exchange.models import ProjectDetails, VefRecord
from reciprocity.exchange.tests.formats import composed
from reciprocity.missions.models import Mission, MissionStatus, MissionStatusChange
from reciprocity.missions.tests.factories import MissionFactory
from reciprocity.partners.models import Organisation
from reciprocity.partners.tests.factories import OrganisationFactory
from reciprocity.placements.tests.factories import PlacementFactory
from reciprocity.schemes.models import SchemeRule
from reciprocity.volunteers.models import Volunteer
from reciprocity.volunteers.tests.factories import VolunteerFactory

pytestmark = pytest.mark.django_db

# The suite's frozen moment (root conftest), passed in as the edges would.
NOW = datetime.datetime(2026, 11, 26, 9, tzinfo=datetime.UTC)

SECOND = composed.project(project_id="b" * 32, code="XYZ 08", name="Forest Trails",
                          start_date="2027-08-02", end_date="2027-08-16", work="ENVI,",
                          languages="eng,eng", country="NL")


def run(capsys, *argv):
    """(exit code, stdout, stderr) of `reciprocity exchange ARGV...`."""
    code = 0
    try:
        # run_from_argv closes every connection when it ends, as the console script should;
        # here that would close the test's own transaction on PostgreSQL.
        with mock.patch.object(management_base.connections, "close_all"):
            ManagementUtility(["reciprocity", "exchange", *map(str, argv)]).execute()
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def write(tmp_path, name, data):
    path = tmp_path / name
    path.write_bytes(data)
    return path


def import_json(capsys, *argv):
    code, out, err = run(capsys, "import", *argv, "--json")
    return code, json.loads(out)


def counts():
    return (Mission.objects.count(), Volunteer.objects.count(), Application.objects.count(),
            Organisation.objects.count(), ProjectDetails.objects.count(),
            VefRecord.objects.count())


# --- PEF import --------------------------------------------------------------------------------


def test_pef_import_creates_work_camps_of_the_host_with_the_json_report(tmp_path, capsys):
    path = write(tmp_path, "PEF_XYZ_20270201.xml", composed.pef(composed.project(), SECOND))
    code, report = import_json(capsys, "pef", path)
    assert code == 0
    assert list(report) == ["created", "updated", "unchanged", "warnings", "errors", "objects"]
    assert (report["created"], report["updated"], report["unchanged"]) == (2, 0, 0)
    assert report["errors"] == []
    assert [(o["kind"], o["key"]) for o in report["objects"]] == [
        ("mission", "a3f1c0de5b7a4c2e9d8f00112233aabb"), ("mission", "b" * 32)]
    warnings = "\n".join(report["warnings"])
    assert "PEF_XYZ_20270201.xml: <organization_code>: unknown code XYZ: organisation " \
           "“Example Volunteers” created." in warnings
    assert "project 2 (XYZ 08) <country>: “NL” is a 2-letter code; read as NLD." in warnings
    assert "<work>: “ENVI,”: empty list item(s) ignored" in warnings
    host = Organisation.objects.get(exchange_code="XYZ")
    assert host.is_host and host.name == "Example Volunteers" and str(host.country) == "NL"
    mission = Mission.objects.get(pk=report["objects"][0]["id"])
    assert (mission.host, mission.scheme_id, mission.status) == (
        host, "workcamp", MissionStatus.PUBLISHED)
    assert (mission.title, mission.reference, str(mission.country), mission.city) == (
        "Dune Path Restoration", "XYZ 07", "NL", "Seaside village")
    assert (mission.start_date, mission.end_date, mission.capacity) == (
        date(2027, 7, 5), date(2027, 7, 19), 12)
    assert (mission.languages, mission.age_min, mission.age_max, mission.max_per_nationality) == (
        ["en", "nl"], 18, 35, 2)
    assert mission.theme == "environment"
    assert "Work: Repairing wooden paths" in mission.description
    assert mission.exchange_project_id == "a3f1c0de5b7a4c2e9d8f00112233aabb"
    assert mission.exchange_details.project["participation_fee"] == "50"
    assert mission.status_changes.get().note == "Imported from PEF_XYZ_20270201.xml."


def test_pef_reimport_changes_nothing_then_updates_in_place(tmp_path, capsys):
    path = write(tmp_path, "p.xml", composed.pef(composed.project(), SECOND))
    assert import_json(capsys, "pef", path)[0] == 0
    before = counts()
    code, report = import_json(capsys, "pef", path)
    assert (code, report["created"], report["updated"], report["unchanged"]) == (0, 0, 0, 2)
    changed = write(tmp_path, "p2.xml", composed.pef(
        composed.project(name="Dune Paths 2027", numvol="10", start_date="2027-07-06"), SECOND))
    code, report = import_json(capsys, "pef", changed)
    assert (code, report["created"], report["updated"], report["unchanged"]) == (0, 0, 1, 1)
    assert counts() == before
    mission = Mission.objects.get(exchange_project_id="a3f1c0de5b7a4c2e9d8f00112233aabb")
    assert (mission.title, mission.capacity, mission.start_date) == (
        "Dune Paths 2027", 10, date(2027, 7, 6))


def test_generated_ids_are_stable_across_imports(tmp_path, capsys):
    path = write(tmp_path, "p.xml", composed.pef(composed.project(project_id="  ")))
    code, report = import_json(capsys, "pef", path)
    key = project_id_for("XYZ", "XYZ 07", "2027-07-05", "2027-07-19")
    assert code == 0 and report["objects"][0]["key"] == key
    assert any("<project_id>: blank; generated as MD5" in w for w in report["warnings"])
    code, report = import_json(capsys, "pef", path)
    assert report["unchanged"] == 1 and Mission.objects.filter(exchange_project_id=key).count() == 1


def test_cancelled_project_cancels_its_mission_through_the_state_machine(tmp_path, capsys):
    assert import_json(capsys, "pef", write(tmp_path, "a.xml", composed.pef()))[0] == 0
    code, report = import_json(capsys, "pef", write(
        tmp_path, "b.xml", composed.pef(composed.project(cancelled="1"))))
    assert (code, report["updated"]) == (0, 1)
    mission = Mission.objects.get()
    assert mission.status == MissionStatus.CANCELLED
    last = MissionStatusChange.objects.filter(mission=mission).order_by("pk").last()
    assert (last.from_status, last.to_status) == (MissionStatus.PUBLISHED, MissionStatus.CANCELLED)
    assert "b.xml" in last.note
    code, report = import_json(capsys, "pef", write(
        tmp_path, "b.xml", composed.pef(composed.project(cancelled="1"))))
    assert report["unchanged"] == 1


def test_cancelled_project_with_volunteers_placed_is_a_warning(tmp_path, capsys):
    assert import_json(capsys, "pef", write(tmp_path, "a.xml", composed.pef()))[0] == 0
    mission = Mission.objects.get()
    PlacementFactory(mission=mission)
    code, report = import_json(capsys, "pef", write(
        tmp_path, "b.xml", composed.pef(composed.project(cancelled="1"))))
    assert code == 0
    assert any("<cancelled>: the project is cancelled, but the mission cannot be" in w
               for w in report["warnings"])
    mission.refresh_from_db()
    assert mission.status == MissionStatus.PUBLISHED


def test_new_cancelled_and_past_projects(tmp_path, capsys):
    path = write(tmp_path, "p.xml", composed.pef(
        composed.project(cancelled="1"),
        composed.project(project_id="c" * 32, code="OLD 1", start_date="2025-07-01",
                         end_date="2025-07-15")))
    assert import_json(capsys, "pef", path)[0] == 0
    assert Mission.objects.get(reference="XYZ 07").status == MissionStatus.CANCELLED
    assert Mission.objects.get(reference="OLD 1").status == MissionStatus.CLOSED


def test_dry_run_writes_nothing_but_reports_what_would_change(tmp_path, capsys):
    path = write(tmp_path, "p.xml", composed.pef(composed.project(), SECOND))
    before = counts()
    code, report = import_json(capsys, "pef", path, "--dry-run")
    assert (code, report["created"], len(report["objects"])) == (0, 2, 2)
    assert counts() == before
    code, out, err = run(capsys, "import", "pef", path, "--dry-run")
    assert code == 0 and "Dry run, nothing written: 2 created" in out
    assert counts() == before


def test_scheme_age_limits_do_not_refuse_a_partners_project(tmp_path, capsys):
    SchemeRule.objects.create(scheme_id="workcamp", key="age_min", value=14,
                              effective_from=date(2000, 1, 1))
    path = write(tmp_path, "p.xml", composed.pef(composed.project(min_age="12", max_age="17")))
    code, report = import_json(capsys, "pef", path)
    assert code == 0
    assert any("<min_age>:" in w and "kept for exports" in w for w in report["warnings"])
    mission = Mission.objects.get()
    assert (mission.age_min, mission.age_max) == (None, 17)


@pytest.mark.parametrize(("data", "expected"), [
    (b"not xml", "p.xml: not XML"),
    (composed.vef(), "p.xml: <vef>: wrong root element; expected <projectform> or "
                     "<projectforms>."),
    (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><projectform/>',
     "p.xml: refused: the document declares a DOCTYPE"),
    (composed.pef(composed.project(), composed.project(project_id="d" * 32, name=None)),
     "p.xml: project 2 (XYZ 07) <name>: missing; the project name is required."),
    (composed.pef(composed.project(start_date="07/05/2027")),
     "p.xml: project 1 (XYZ 07) <start_date>: “07/05/2027” is not a date (YYYY-MM-DD)."),
])
def test_invalid_pef_exits_1_naming_file_and_element_and_writes_nothing(
    tmp_path, capsys, data, expected
):
    path = write(tmp_path, "p.xml", data)
    before = counts()
    code, report = import_json(capsys, "pef", path)
    assert code == 1
    assert report["objects"] == [] and report["created"] == 0
    assert any(expected in e for e in report["errors"]), report["errors"]
    assert counts() == before
    code, out, err = run(capsys, "import", "pef", path)
    assert code == 1 and expected in err and "Nothing imported" in err and out == ""


def test_a_50_mb_file_is_refused_cleanly(tmp_path, capsys):
    path = tmp_path / "PEF_HUGE_20270101.xml"
    chunk = composed.project().encode() * 2000
    with path.open("wb") as handle:
        handle.write(b"<projectform><projects>")
        while handle.tell() < 50 * 1024 * 1024:
            handle.write(chunk)
        handle.write(b"</projects></projectform>")
    before = counts()
    code, report = import_json(capsys, "pef", path)
    assert code == 1 and report["errors"][0].startswith("PEF_HUGE_20270101.xml: the file is 5")
    assert counts() == before


def test_mission_rule_errors_name_the_element(tmp_path, capsys):
    MissionFactory(host=OrganisationFactory(exchange_code="XYZ"), scheme_id="workcamp",
                   exchange_project_id="a3f1c0de5b7a4c2e9d8f00112233aabb", capacity=3,
                   reference="XYZ 07", country="NL")
    mission = Mission.objects.get()
    for _ in range(3):
        PlacementFactory(mission=mission)
    code, report = import_json(capsys, "pef", write(
        tmp_path, "p.xml", composed.pef(composed.project(numvol="2"))))
    assert code == 1
    assert any(e.startswith("p.xml: project 1 (XYZ 07) <numvol>: 3 places are already taken")
               for e in report["errors"]), report["errors"]


@pytest.mark.parametrize("argv", [
    [],
    ["import"],
    ["import", "pef"],
    ["import", "xml", "f.xml"],
    ["import", "pef", "a.xml", "b.xml"],
    ["import", "pef", "/nonexistent/PEF.xml"],
    ["import", "vef"],
    ["export"],
    ["export", "pef"],
    ["export", "pef", "--organisation", "XYZ", "--from", "2027-13-01"],
    ["export", "pef", "--organisation", "XYZ", "--from", "2027-08-01", "--to", "2027-07-01"],
    ["export", "vef"],
    ["export", "vef", "twelve"],
    ["export", "fpl"],
])
def test_usage_errors_exit_2(capsys, argv):
    OrganisationFactory(exchange_code="XYZ")
    code, out, err = run(capsys, *argv)
    assert code == 2, (out, err)
    assert out == ""


# --- VEF import --------------------------------------------------------------------------------


@pytest.fixture
def camps(tmp_path, capsys):
    path = write(tmp_path, "PEF.xml", composed.pef(composed.project(), SECOND))
    assert import_json(capsys, "pef", path)[0] == 0
    return {m.reference: m for m in Mission.objects.all()}


def test_vef_import_creates_volunteer_and_application_with_ranked_choices(
    tmp_path, capsys, camps
):
    path = write(tmp_path, "VEF_ABC_Anna.xml", composed.vef())
    code, report = import_json(capsys, "vef", path)
    assert code == 0, report
    assert [(o["kind"], o["key"]) for o in report["objects"]] == [
        ("volunteer", "Kowalczyk|Anna Maria|2001-09-30"),
        ("application", "Kowalczyk|Anna Maria|2001-09-30")]
    volunteer = Volunteer.objects.get(pk=report["objects"][0]["id"])
    sender = Organisation.objects.get(exchange_code="ABC")
    assert volunteer.sending_organisation == sender and sender.is_sending
    assert (volunteer.last_name, volunteer.first_name, volunteer.birth_date, volunteer.gender,
            str(volunteer.nationality), str(volunteer.residence_country)) == (
        "Kowalczyk", "Anna Maria", date(2001, 9, 30), "F", "PL", "PL")
    assert volunteer.languages == [{"code": "pl", "level": "C1"}, {"code": "en", "level": "B2"},
                                   {"code": "de", "level": "A1"}]
    assert volunteer.id_document_kind == "passport"
    assert volunteer.id_document_number == "AB1234567"
    assert volunteer.id_document_expiry == date(2030, 1, 9)
    application = Application.objects.get(pk=report["objects"][1]["id"])
    assert application.sending_organisation == sender
    assert application.status == "submitted"
    assert [(c.rank, c.mission.reference) for c in application.choices.order_by("rank")] == [
        (1, "XYZ 07"), (2, "XYZ 08")]
    record = VefRecord.objects.get(application=application)
    assert record.passport == "AB1234567, 2020-01-10, Gdansk, 2030-01-09"
    assert record.details["vef"]["emergency_contact"] == "Piotr Kowalczyk, +48 500 000 002"


def test_passport_details_are_encrypted_at_rest(tmp_path, capsys, camps):
    assert import_json(capsys, "vef", write(tmp_path, "v.xml", composed.vef()))[0] == 0
    with connection.cursor() as cursor:
        cursor.execute("SELECT passport FROM exchange_vefrecord")
        (stored,) = cursor.fetchone()
        cursor.execute("SELECT id_document_number FROM volunteers_volunteer")
        (number,) = cursor.fetchone()
    assert stored and "AB1234567" not in stored
    assert number and "AB1234567" not in number
    record = VefRecord.objects.get()
    assert json.dumps(record.details).find("AB1234567") == -1


def test_vef_reimport_never_duplicates(tmp_path, capsys, camps):
    path = write(tmp_path, "v.xml", composed.vef())
    assert import_json(capsys, "vef", path)[0] == 0
    before = counts()
    code, report = import_json(capsys, "vef", path)
    assert (code, report["created"], report["updated"], report["unchanged"]) == (0, 0, 0, 2)
    code, report = import_json(capsys, "vef", write(tmp_path, "v2.xml", composed.vef(
        lastname="KOWALCZYK", email="anna.k@example.org")))
    assert (code, report["created"], report["updated"]) == (0, 0, 2)
    assert counts() == before
    assert Volunteer.objects.get().email == "anna.k@example.org"
    # A new season's VEF (another filing date) is a new application of the same volunteer;
    # a choice already open in the first application is skipped.
    MissionFactory(host=camps["XYZ 07"].host, scheme_id="workcamp", reference="XYZ 09")
    code, report = import_json(capsys, "vef", write(tmp_path, "v3.xml", composed.vef(
        date_filed="2027-04-01", choice1="XYZ 08", choice2="XYZ 09")))
    # (the volunteer is updated: this file spells the last name as the first one did)
    assert (code, report["created"], report["updated"]) == (0, 1, 1)
    assert "v3.xml: <choice1>: the volunteer already has an open application for “XYZ 08”; " \
           "choice skipped." in report["warnings"]
    assert Volunteer.objects.count() == 1 and Application.objects.count() == 2


def test_same_person_from_another_sender_is_another_volunteer(tmp_path, capsys, camps):
    assert import_json(capsys, "vef", write(tmp_path, "a.xml", composed.vef()))[0] == 0
    code, report = import_json(capsys, "vef", write(tmp_path, "b.xml", composed.vef(sender="DEF")))
    assert code == 0 and Volunteer.objects.count() == 2


def test_unknown_closed_and_ambiguous_codes_are_skipped_with_a_warning(tmp_path, capsys, camps):
    other = OrganisationFactory(exchange_code="QRS")
    MissionFactory(host=other, scheme_id="workcamp", reference="AMB 1")
    MissionFactory(host=OrganisationFactory(), scheme_id="workcamp", reference="amb 1")
    MissionFactory(host=other, scheme_id="workcamp", reference="SHUT", status="closed")
    MissionFactory(host=other, scheme_id="workcamp", reference="OLD", status="closed")
    MissionFactory(host=other, scheme_id="workcamp", reference="OLD", status="closed")
    code, report = import_json(capsys, "vef", write(tmp_path, "v.xml", composed.vef(
        choice1="NOPE 1", choice2="AMB 1", choice3="SHUT", choice4="XYZ 08", choice5="OLD")))
    assert code == 0
    warnings = "\n".join(report["warnings"])
    assert "v.xml: <choice1>: no work camp has the code “NOPE 1”; choice skipped." in warnings
    assert "v.xml: <choice2>: the code “AMB 1” is ambiguous (2 work camps" in warnings
    assert "v.xml: <choice3>: the work camp “SHUT” is closed: the choice is kept" in warnings
    assert "v.xml: <choice5>: the code “OLD” is ambiguous (2 work camps" in warnings
    application = Application.objects.get()
    assert [c.mission.reference for c in application.choices.order_by("rank")] == [
        "SHUT", "XYZ 08"]


def test_a_past_season_imports_whole(tmp_path, capsys):
    """Partners' files of a finished season (closed work camps) still import: the choices
    are kept with a warning."""
    assert import_json(capsys, "pef", write(tmp_path, "p.xml", composed.pef(composed.project(
        start_date="2025-07-05", end_date="2025-07-19"))))[0] == 0
    code, report = import_json(capsys, "vef", write(tmp_path, "v.xml", composed.vef(
        choice2=None, date_filed="2025-03-14")))
    assert code == 0 and report["created"] == 2
    assert any("<choice1>: the work camp “XYZ 07” is closed" in w for w in report["warnings"])


def test_no_choice_left_is_an_error_and_nothing_is_written(tmp_path, capsys, camps):
    before = counts()
    code, report = import_json(capsys, "vef", write(tmp_path, "v.xml", composed.vef(
        choice1="NOPE 1", choice2="NOPE 2")))
    assert code == 1
    assert "v.xml: <choice1>: none of the chosen projects can take the application." in (
        report["errors"])
    assert counts() == before and report["objects"] == []


def test_one_bad_vef_among_several_writes_nothing(tmp_path, capsys, camps):
    good = write(tmp_path, "good.xml", composed.vef())
    bad = write(tmp_path, "bad.xml", composed.vef(lastname="Other", birthdate="soon"))
    worse = write(tmp_path, "worse.xml", b"<html/>")
    before = counts()
    code, out, err = run(capsys, "import", "vef", good, bad, worse)
    assert code == 1
    assert "bad.xml: <birthdate>: “soon” is not a date (YYYY-MM-DD)." in err
    assert "worse.xml: <html>: wrong root element; expected <vef>." in err
    assert counts() == before


def test_one_volunteer_in_two_files_of_one_run_is_counted_once(tmp_path, capsys, camps):
    first = write(tmp_path, "a.xml", composed.vef(choice2=None))
    second = write(tmp_path, "b.xml", composed.vef(choice1="XYZ 08", choice2=None,
                                                   date_filed="2027-04-01"))
    code, report = import_json(capsys, "vef", first, second)
    assert (code, report["created"]) == (0, 3)
    assert [o["kind"] for o in report["objects"]] == ["volunteer", "application", "application"]
    assert Volunteer.objects.count() == 1


def test_several_vefs_in_one_run(tmp_path, capsys, camps):
    files = [write(tmp_path, f"v{i}.xml", composed.vef(firstname=f"P{i}", choice2=None))
             for i in range(3)]
    code, report = import_json(capsys, "vef", *files)
    assert (code, report["created"]) == (0, 6)


def test_vef_dry_run_writes_nothing(tmp_path, capsys, camps):
    before = counts()
    code, report = import_json(capsys, "vef", write(tmp_path, "v.xml", composed.vef()),
                               "--dry-run")
    assert (code, report["created"]) == (0, 2)
    assert counts() == before


# --- exports and round trips -------------------------------------------------------------------


def test_pef_round_trip_changes_nothing(tmp_path, capsys):
    original = composed.pef(
        composed.project(location="Farm 3\nHill road", vegetarian="", participation_fee=".00",
                         min_age="1", max_age="99", languages="ENG,HOL", work="ENV,MANU,"),
        SECOND,
        composed.project(project_id=None, code="XYZ 09", start_date="2027-09-01",
                         end_date="2027-09-14", cancelled="1", min_age="12"),
    )
    assert import_json(capsys, "pef", write(tmp_path, "in.xml", original))[0] == 0
    code, out, err = run(capsys, "export", "pef", "--organisation", "xyz")
    assert code == 0 and out.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<projectform>')
    exported = write(tmp_path, "out.xml", out.encode())
    before = counts()
    code, report = import_json(capsys, "pef", exported)
    assert (code, report["created"], report["updated"], report["unchanged"]) == (0, 0, 0, 3)
    assert report["warnings"] == []
    assert counts() == before
    assert "\n      <location>Farm 3 Hill road</location>" in out
    assert "<languages>eng,nld</languages>" in out and "<work>ENVI,MANU</work>" in out
    assert "<cancelled>1</cancelled>" in out and "<min_age>12</min_age>" in out


def test_pef_export_of_missions_made_here_gives_stable_ids(tmp_path, capsys):
    host = OrganisationFactory(exchange_code="HOM", name="Home Camps")
    mission = MissionFactory(host=host, scheme_id="workcamp", reference="", title="Camp",
                             start_date=date(2027, 7, 1), end_date=date(2027, 7, 20),
                             capacity=10, languages=["fr", "en"], theme="heritage")
    MissionFactory(host=host, scheme_id="workcamp", status="draft")
    MissionFactory(host=host, scheme_id="service_civique")
    path = tmp_path / "out"
    path.mkdir()
    code, out, err = run(capsys, "export", "pef", "--organisation", "HOM", "-o", path)
    assert code == 0
    (written,) = list(path.iterdir())
    assert written.name == f"PEF_HOM-{mission.pk}_{date.today():%Y%m%d}.xml"
    mission.refresh_from_db()
    assert mission.reference == f"HOM-{mission.pk}"
    assert mission.exchange_project_id == project_id_for(
        "HOM", mission.reference, "2027-07-01", "2027-07-20")
    text = written.read_text()
    assert f'<project id="{mission.exchange_project_id}">' in text
    assert "<languages>eng,fra</languages>" in text and "<work>HERI</work>" in text
    assert "<country>FRA</country>" in text
    code, report = import_json(capsys, "pef", written)
    assert (code, report["unchanged"], report["created"]) == (0, 1, 0)


def test_pef_export_date_window(tmp_path, capsys):
    assert import_json(capsys, "pef", write(tmp_path, "p.xml", composed.pef(
        composed.project(), SECOND)))[0] == 0
    code, out, err = run(capsys, "export", "pef", "--organisation", "XYZ",
                         "--from", "2027-08-01", "--to", "2027-08-31")
    assert code == 0 and "XYZ 08" in out and "XYZ 07" not in out


def test_host_edits_win_on_export(tmp_path, capsys):
    assert import_json(capsys, "pef", write(tmp_path, "p.xml", composed.pef()))[0] == 0
    Mission.objects.update(title="Renamed here", capacity=15)
    code, out, err = run(capsys, "export", "pef", "--organisation", "XYZ")
    assert "<name>Renamed here</name>" in out and "<numvol>15</numvol>" in out
    assert "<descr_work>Repairing wooden paths" in out


def test_vef_round_trip_changes_nothing(tmp_path, capsys, camps):
    original = write(tmp_path, "v.xml", composed.vef(
        nationality="GER", country="PL", sex="female", motivation="Line 1\nLine 2",
        language1="ENG", language2="HOL", language3="", langlevel3="", choice19="XYZ 07"))
    code, report = import_json(capsys, "vef", original)
    assert code == 0
    application_id = report["objects"][1]["id"]
    code, out, err = run(capsys, "export", "vef", application_id, "-o", tmp_path)
    assert code == 0
    exported = tmp_path / "VEF_ABC_AnnaMaria_Kowalczyk.xml"
    text = exported.read_text()
    assert "<nationality>DEU</nationality>" in text and "<country>POL</country>" in text
    assert "<sex>F</sex>" in text and "<motivation>Line 1 Line 2</motivation>" in text
    assert "<language2>nld</language2>" in text and "<choice2>XYZ 08</choice2>" in text
    assert "<passport>AB1234567, 2020-01-10, Gdansk, 2030-01-09</passport>" in text
    before = counts()
    code, report = import_json(capsys, "vef", exported)
    assert (code, report["created"], report["updated"], report["unchanged"]) == (0, 0, 0, 2)
    assert report["warnings"] == []
    assert counts() == before


def test_vef_export_of_an_application_made_here(tmp_path, capsys):
    sender = OrganisationFactory(exchange_code="SND", country="SN", is_host=False)
    volunteer = VolunteerFactory(sending_organisation=sender, first_name="Awa",
                                 last_name="Diallo", id_document_number="P123",
                                 id_document_kind="passport")
    mission = MissionFactory(scheme_id="workcamp", reference="FR 12")
    application = Application.objects.create(volunteer=volunteer, sending_organisation=sender,
                                             status="submitted", motivation="Why not")
    ApplicationChoice.objects.create(application=application, mission=mission, rank=1)
    code, out, err = run(capsys, "export", "vef", application.pk)
    assert code == 0
    for element in ("<sender>SND</sender>", "<lastname>Diallo</lastname>",
                    "<birthdate>2003-05-17</birthdate>", "<nationality>SEN</nationality>",
                    "<language1>fra</language1>", "<langlevel1>4</langlevel1>",
                    "<choice1>FR 12</choice1>", "<passport>P123</passport>",
                    "<motivation>Why not</motivation>", "<version>1.0</version>"):
        assert element in out
    assert volunteer.data_accesses.filter(action="export", channel="command").exists()


def test_export_refusals_exit_1(capsys):
    OrganisationFactory(exchange_code="XYZ")
    assert run(capsys, "export", "pef", "--organisation", "NOPE")[0] == 1
    assert run(capsys, "export", "fpl", "--organisation", "NOPE")[0] == 1
    code, out, err = run(capsys, "export", "vef", "987654")
    assert code == 1 and "987654" in err


def test_fpl_export_counts_free_places(tmp_path, capsys):
    assert import_json(capsys, "pef", write(tmp_path, "p.xml", composed.pef(
        composed.project(numvol="4", numvol_m="2", numvol_f="2", max_vols_per_country="1"))))[0] == 0
    mission = Mission.objects.get()
    PlacementFactory(mission=mission, gender="F", volunteer__gender="F", nationality="SN")
    PlacementFactory(mission=mission, gender="M", status="proposed", nationality="TG")
    code, out, err = run(capsys, "export", "fpl", "--organisation", "XYZ", "-o", tmp_path)
    assert code == 0
    (written,) = [p for p in tmp_path.iterdir() if p.name.startswith("FPL__XYZ_")]
    text = written.read_text()
    for element in ("<numvol>4</numvol>", "<free_m>2</free_m>", "<free_f>1</free_f>",
                    "<reserved>1</reserved>", "<no_more_from>SEN,TGO</no_more_from>",
                    "<project_id>a3f1c0de5b7a4c2e9d8f00112233aabb</project_id>"):
        assert element in text, text


def test_anonymisation_erases_what_the_vef_said(tmp_path, capsys, camps):
    from reciprocity.workflow.personal_data import volunteer_anonymise

    assert import_json(capsys, "vef", write(tmp_path, "v.xml", composed.vef()))[0] == 0
    application = Application.objects.get()
    application.status = "withdrawn"
    application.save()
    volunteer_anonymise(volunteer=Volunteer.objects.get(), actor=None, now=NOW)
    record = VefRecord.objects.get()
    assert (record.details, record.passport, record.source) == ({}, "", "")


def test_the_personal_data_export_holds_the_vefs_received(tmp_path, capsys, camps):
    from reciprocity.accounts.tests.factories import UserFactory
    from reciprocity.workflow.personal_data import volunteer_export

    assert import_json(capsys, "vef", write(tmp_path, "v.xml", composed.vef()))[0] == 0
    record = VefRecord.objects.get()
    volunteer = Volunteer.objects.get()

    # The operator's command (viewer None) gets every field, the passport in clear.
    [section] = volunteer_export(volunteer=volunteer, now=NOW)["exchange_files"]
    assert section["application_id"] == record.application_id
    assert section["details"] == record.details and section["details"]
    assert section["passport"] == record.passport
    assert section["sender"]["exchange_code"] == record.sender.exchange_code

    # A reader not entitled to identity numbers gets the passport masked.
    outsider = UserFactory()
    [masked] = volunteer_export(volunteer=volunteer, viewer=outsider, now=NOW)["exchange_files"]
    assert record.passport.startswith("AB1234567")
    assert "AB1234567" not in masked["passport"]
