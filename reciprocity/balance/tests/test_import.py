import io
from datetime import date

import pytest
from django.core.management import call_command
from openpyxl import Workbook

from reciprocity.agreements.tests.factories import AgreementFactory
from reciprocity.balance.models import LedgerEntry
from reciprocity.missions.models import Mission
from reciprocity.partners.models import Organisation
from reciprocity.placements.models import Placement
from reciprocity.volunteers.models import Volunteer

HEADER = ("volunteer_ref,birth_date,gender,nationality,residence_country,scheme,sending_org,"
          "sending_country,host_org,host_country,mission_title,start_date,end_date,status,"
          "end_reason,agreement_ref")
VALID = [
    "H-001,1998-04-02,F,TN,TN,service_civique,EV Tunisie,TN,Maison des Solidarités,FR,"
    "Animation jeunesse,2018-03-01,2018-08-31,completed,,",
    "H-002,1990-01-15,M,SN,SN,service_civique,EV Sénégal,SN,Jardins du Monde,FR,"
    "Jardins partagés,2017-09-01,2018-06-30,interrupted,Found a job,fv-sn",
    "H-003,2000-07-07,X,FR,FR,vsi,ADICE,FR,ANVT,TG,Appui éducatif,2019-02-01,2020-01-31,"
    "in_mission,,",
]


def write(tmp_path, lines, name="file.csv", *, encoding="utf-8", delimiter=","):
    text = "\n".join(line.replace(",", delimiter) for line in [HEADER, *lines]) + "\n"
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    code = 0
    try:
        call_command("import", "placements", *map(str, args), stdout=out, stderr=err)
    except SystemExit as exc:
        code = exc.code
    return code, out.getvalue(), err.getvalue()


def counts():
    return (Placement.objects.count(), Volunteer.objects.count(), Mission.objects.count(),
            Organisation.objects.count(), LedgerEntry.objects.count())


@pytest.mark.django_db
class TestImportPlacements:
    def test_valid_file_creates_everything_and_feeds_the_ledger(self, tmp_path):
        AgreementFactory(reference="fv-sn")

        code, out, err = run(write(tmp_path, VALID))

        assert code == 0, err
        placement = Placement.objects.get(volunteer__reference="H-002")
        assert placement.status == "interrupted" and placement.ended_on == date(2018, 6, 30)
        assert placement.agreement.reference == "fv-sn"
        assert placement.mission.host.name == "Jardins du Monde"
        assert placement.mission.host.country == "FR"
        assert placement.nationality == "SN" and placement.volunteer.first_name == ""
        assert Organisation.objects.filter(name="ANVT", country="TG", is_host=True).exists()
        assert LedgerEntry.objects.filter(placement__volunteer__reference="H-003").count() == 2
        # Age 27 at the start breaks today's Service Civique rule: imported with a warning.
        assert "line 3: warning: age 27" in err
        assert "3 placement(s) created" in out

    def test_reimport_creates_no_duplicates(self, tmp_path):
        path = write(tmp_path, VALID)
        run(path)
        before = counts()

        code, out, _err = run(path)

        assert code == 0
        assert counts() == before
        assert "3 unchanged" in out

    def test_reimport_with_a_new_status_updates_and_corrects_the_ledger(self, tmp_path):
        run(write(tmp_path, VALID))
        changed = [*VALID[:2], VALID[2].replace("in_mission", "cancelled")]

        code, out, _err = run(write(tmp_path, changed, name="again.csv"))

        assert code == 0 and "1 updated" in out
        entries = LedgerEntry.objects.filter(placement__volunteer__reference="H-003")
        assert sum(e.volunteers for e in entries) == 0
        assert Placement.objects.filter(volunteer__reference="H-003").count() == 1

    def test_invalid_rows_are_all_reported_and_nothing_is_written(self, tmp_path):
        before = counts()
        lines = [
            VALID[0],
            VALID[1].replace(",M,", ",Q,").replace("2018-06-30", "2017-06-30"),
            "",
            VALID[2].replace("2000-07-07", "07/07/2000").replace(",TG,", ",XX,"),
            VALID[0].replace("H-001", "H-004").replace("service_civique", "holiday")
            .replace("completed", "done"),
        ]

        code, out, err = run(write(tmp_path, lines))

        assert code == 1
        assert counts() == before
        reported = [line for line in err.splitlines() if line.startswith("line ")]
        assert [line.split(":")[0] for line in reported] == ["line 3", "line 5", "line 6"]
        assert "gender 'Q'" in reported[0] and "end_date is before start_date" in reported[0]
        assert "birth_date '07/07/2000'" in reported[1] and "host_country 'XX'" in reported[1]
        assert "scheme 'holiday'" in reported[2] and "status 'done'" in reported[2]

    def test_missing_required_value_and_conflicting_duplicate(self, tmp_path):
        lines = [VALID[0], VALID[0].replace("completed", "interrupted"),
                 VALID[1].replace("Jardins partagés", "")]

        code, _out, err = run(write(tmp_path, lines))

        assert code == 1
        assert "line 3: same volunteer_ref, host_org and start_date as line 2" in err
        assert "line 4: mission_title is empty" in err

    def test_identical_repeated_row_is_imported_once(self, tmp_path):
        code, _out, err = run(write(tmp_path, [VALID[0], VALID[0]]))

        assert code == 0
        assert "line 3: warning: repeats line 2" in err
        assert Placement.objects.filter(volunteer__reference="H-001").count() == 1

    def test_crlf_line_endings_and_quoted_multiline_field(self, tmp_path):
        quoted = VALID[1].replace("Found a job", '"Found a job,\nin Dakar"').replace("\\n", "\n")
        text = "\r\n".join([HEADER, VALID[0], quoted, VALID[2].replace(",X,", ",Z,")]) + "\r\n"
        path = tmp_path / "crlf.csv"
        path.write_bytes(text.encode())

        code, _out, err = run(path)

        assert code == 1
        assert [line.split(":")[0] for line in err.splitlines() if line.startswith("line")] == [
            "line 5"]

    def test_semicolons_and_bom(self, tmp_path):
        path = write(tmp_path, VALID, encoding="utf-8-sig", delimiter=";")

        code, _out, err = run(path)

        assert code == 0, err
        assert Placement.objects.filter(volunteer__reference__startswith="H-").count() == 3

    def test_missing_column_is_reported_on_line_1(self, tmp_path):
        path = tmp_path / "short.csv"
        path.write_text("volunteer_ref,birth_date\nH-1,2000-01-01\n")

        code, _out, err = run(path)

        assert code == 1 and err.startswith("line 1: missing column(s): gender")

    def test_dry_run_writes_nothing(self, tmp_path):
        before = counts()

        code, out, _err = run(write(tmp_path, VALID), "--dry-run")

        assert code == 0 and "nothing written" in out
        assert counts() == before

    def test_xlsx_with_real_dates_and_sheet_row_numbers(self, tmp_path):
        workbook = Workbook()
        sheet = workbook.active
        sheet.append(HEADER.split(","))
        for line in VALID:
            cells = line.split(",")
            for i in (1, 11, 12):
                cells[i] = date.fromisoformat(cells[i])
            sheet.append(cells)
        sheet.append([None] * 16)
        bad = VALID[0].replace("H-001", "H-009").split(",")
        bad[2] = "female"
        sheet.append(bad)
        path = tmp_path / "past.xlsx"
        workbook.save(path)

        code, _out, err = run(path)
        assert code == 1 and "line 6: gender 'female'" in err

        sheet.delete_rows(6)
        workbook.save(path)
        code, _out, err = run(path)
        assert code == 0, err
        assert Placement.objects.get(volunteer__reference="H-001").start_date == date(2018, 3, 1)
