"""CSV and XLSX downloads of tables (the dashboard's datasets, the annual report, placements)."""

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

from django.http import HttpResponse

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _plain(value: Any) -> Any:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return value if isinstance(value, int | float) or value is None else str(value)


def csv_response(filename: str, headings: Sequence[Any], rows: Iterable[Sequence[Any]]
                 ) -> HttpResponse:
    """UTF-8 with a byte-order mark, so that spreadsheets open accented names correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([str(h) for h in headings])
    for row in rows:
        writer.writerow([_plain(v) for v in row])
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def xlsx_response(filename: str, sheets: Sequence[tuple[str, Sequence[Any], Iterable[Sequence[Any]]]]
                  ) -> HttpResponse:
    """One sheet per (title, headings, rows)."""
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, headings, rows in sheets:
        sheet = workbook.create_sheet(title=str(title)[:31])
        sheet.append([str(h) for h in headings])
        for row in rows:
            sheet.append([_plain(v) for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response
