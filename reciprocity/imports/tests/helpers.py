import io

from openpyxl import Workbook

from reciprocity.imports.missions import COLUMNS as MISSION_COLUMNS
from reciprocity.imports.volunteers import COLUMNS as VOLUNTEER_COLUMNS

MISSION_HEADER = ",".join(MISSION_COLUMNS)
VOLUNTEER_HEADER = ",".join(VOLUNTEER_COLUMNS)


def mission_line(ref: str, *, host: str = "Maison des Solidarités", title: str = "Chantier",
                 start: str = "2027-07-01", end: str = "2027-07-21", capacity: str = "12",
                 **overrides: str) -> str:
    values = {"mission_ref": ref, "host_org": host, "host_country": "FR", "scheme": "workcamp",
              "title": title, "theme": "heritage", "country": "", "city": "Lyon",
              "start_date": start, "end_date": end, "capacity": capacity, "weekly_hours": "",
              "age_min": "", "age_max": "", "languages": "fr en", "description": "",
              "status": "published", **overrides}
    return ",".join(values[c] for c in MISSION_COLUMNS)


def volunteer_line(ref: str, *, sender: str = "Espace Volontariats", country: str = "TN",
                   **overrides: str) -> str:
    values = {"volunteer_ref": ref, "sending_org": sender, "sending_country": country,
              "first_name": "Amel", "last_name": "Ben Salah", "email": "amel@example.org",
              "phone": "", "birth_date": "2001-05-04", "gender": "F", "nationality": "TN",
              "residence_country": "TN", **overrides}
    return ",".join(values[c] for c in VOLUNTEER_COLUMNS)


def csv_bytes(header: str, lines: list[str], *, delimiter: str = ",", bom: bool = False) -> bytes:
    text = "\n".join(line.replace(",", delimiter) for line in [header, *lines]) + "\n"
    return (("\ufeff" if bom else "") + text).encode("utf-8")


def xlsx_bytes(rows: list[list[object]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
