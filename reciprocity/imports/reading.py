"""Reading a spreadsheet (CSV with commas or semicolons, with or without a BOM, or the first
sheet of an XLSX file) into numbered rows of {column: value}, from bytes: the same reader for
the upload pages and the command line. The format rules: docs/import-format.md ("Files").

The rows are `balance.importer.Row`, so that the placements' checks read them unchanged."""

import csv
import io
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.utils.translation import gettext as _

from reciprocity.balance.importer import FileUnreadable, Row

XLSX_SUFFIXES = (".xlsx", ".xlsm")
# A ZIP file (every XLSX) starts with these bytes: an .xlsx renamed .csv is still read as XLSX.
ZIP_MAGIC = b"PK\x03\x04"


def read_table(*, name: str, data: bytes, required: list[str]) -> list[Row]:
    """The data rows of a file; raises FileUnreadable (with the line when there is one)."""
    if name.lower().endswith(XLSX_SUFFIXES) or data.startswith(ZIP_MAGIC):
        return _read_xlsx(data, required)
    return _read_csv(data, required)


def _header(cells: Iterable[Any]) -> list[str]:
    return [str(c or "").strip().lstrip("\ufeff").strip().lower().replace(" ", "_") for c in cells]


def _check_header(header: list[str], required: list[str]) -> None:
    missing = [c for c in required if c not in header]
    if missing:
        raise FileUnreadable(1, _("missing column(s): %(columns)s") % {"columns": ", ".join(missing)})


def _read_csv(data: bytes, required: list[str]) -> list[Row]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise FileUnreadable(line, _("the file is not UTF-8 text")) from None
    first_line = text.split("\n", 1)[0]
    # Spreadsheets in French locales write semicolons; the header tells which one is used.
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = _header(next(reader))
    except StopIteration:
        raise FileUnreadable(1, _("the file is empty")) from None
    except csv.Error as exc:
        raise FileUnreadable(1, _("unreadable CSV: %(error)s") % {"error": exc}) from None
    _check_header(header, required)
    rows: list[Row] = []
    line = reader.line_num + 1
    try:
        for cells in reader:
            if any(cell.strip() for cell in cells):
                rows.append(Row(line, dict(zip(header, cells, strict=False))))
            line = reader.line_num + 1
    except csv.Error as exc:
        raise FileUnreadable(line, _("unreadable CSV: %(error)s") % {"error": exc}) from None
    return rows


def _read_xlsx(data: bytes, required: list[str]) -> list[Row]:
    from openpyxl import load_workbook

    try:
        # data_only: a formula cell is read as the value last computed, never as the formula.
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for a broken file
        raise FileUnreadable(None, _("unreadable XLSX file: %(error)s") % {"error": exc}) from None
    try:
        if not workbook.worksheets:
            raise FileUnreadable(1, _("the sheet is empty"))
        cells = workbook.worksheets[0].iter_rows(values_only=True)
        try:
            header = _header(next(cells))
        except StopIteration:
            raise FileUnreadable(1, _("the sheet is empty")) from None
        _check_header(header, required)
        rows = []
        for number, values in enumerate(cells, start=2):
            if any(v not in (None, "") and str(v).strip() for v in values):
                rows.append(Row(number, dict(zip(header, (_cell(v) for v in values), strict=False))))
        return rows
    finally:
        workbook.close()


def _cell(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return value
