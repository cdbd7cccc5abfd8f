"""The annual report's visa figures in every output (CSV, XLSX, PDF, API, `--json`, the text):
on a composed data set (refusals by nationality) each output gives the figures of the hand
count written below, and a reader outside the organisations gets the small numbers withheld in
each, never the numbers themselves."""

import csv
import io
import json
import subprocess
from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from reciprocity.accounts.tests.factories import StaffFactory, UserFactory
from reciprocity.balance.tests.helpers import make_placement
from reciprocity.procedures.models import VisaOutcome, VisaRefusalGround

APPLIED = date(2026, 1, 5)
# (nationality, decision, days from application to decision, placement status); all Service
# Civique placements hosted in France starting in 2026.
COMPOSED = [
    ("SN", "refused", 12, "cancelled"),
    ("SN", "refused", 18, "cancelled"),
    ("SN", "refused", 30, "interrupted"),
    ("SN", "granted", 20, "completed"),
    ("SN", "granted", 24, "completed"),
    ("SN", "granted", 40, "completed"),
    ("TN", "refused", 45, "cancelled"),
    ("TN", "granted", 10, "completed"),
    ("TN", "granted", 14, "completed"),
    ("TN", "granted", 16, "completed"),
    ("TN", "granted", 30, "in_mission"),
    ("TN", "withdrawn", 8, "cancelled"),  # the applicant's act: not a decision, not lost
    ("MA", "granted", 7, "completed"),
    ("MA", "granted", 9, "completed"),
    ("MA", "granted", 11, "completed"),
]
# The hand count: (decided, refused, refusal rate, median days, lost).
# Senegal: 6 decided, 3 refused (1/2); days 12 18 20 24 30 40: (20 + 24) / 2 = 22; the three
# refused placements were cancelled or interrupted: 3 lost.
# Tunisia: the withdrawal is not a decision: 5 decided, 1 refused (1/5); days 10 14 16 30 45:
# 16; 1 lost.
# Morocco: 3 granted; days 7 9 11: 9; none refused, none lost.
# All nationalities: 14 decided, 4 refused (4/14); days 7 9 10 11 12 14 16 18 20 24 30 30 40 45:
# (16 + 18) / 2 = 17; 4 lost.
HAND = {
    "SN": (6, 3, 0.5, 22.0, 3),
    "TN": (5, 1, 0.2, 16.0, 1),
    "MA": (3, 0, 0.0, 9.0, 0),
    None: (14, 4, 4 / 14, 17.0, 4),
}
NAMES = {"SN": "Senegal", "TN": "Tunisia", "MA": "Morocco", None: "All nationalities"}
FIELDS = ("decided", "refused", "refusal_rate", "median_days", "lost")
MEASURES = ("Decisions", "Refused", "Refusal rate", "Median days to decision",
            "Placements lost to visas")
# For a reader outside the organisations (docs/balance.md, "Small numbers"): Tunisia's one
# refusal and one lost placement are "< 3"; under the totals of 4, Senegal's 3 would give them
# back, so Senegal's goes ("withheld"), and then the total (3 + "< 3" = 4 pins both). Each rate
# goes with its refused count. Decisions (6, 5, 3, 14) and the medians are shown.
WITHHELD = {
    ("TN", "refused"): "< 3", ("TN", "lost"): "< 3",
    ("SN", "refused"): "withheld", ("SN", "lost"): "withheld",
    (None, "refused"): "withheld", (None, "lost"): "withheld",
    ("TN", "refusal_rate"): "withheld", ("SN", "refusal_rate"): "withheld",
    (None, "refusal_rate"): "withheld",
}
PARAMS = {"year": 2026, "host_country": "FR", "scheme": "", "basis": "start"}


@pytest.fixture
def composed(db):  # type: ignore[no-untyped-def]
    ground = VisaRefusalGround.objects.get(code="purpose_not_justified")
    for nationality, decision, days, status in COMPOSED:
        placement = make_placement(origin=nationality, host="FR", start=date(2026, 3, 1),
                                   end=date(2026, 8, 31), status=status)
        VisaOutcome.objects.create(
            placement=placement, decision=decision, application_date=APPLIED,
            decision_date=APPLIED + timedelta(days=days),
            refusal_ground=ground if decision == "refused" else None)
    # Hosted elsewhere, and starting another year: in no table below.
    for host, start in (("BE", date(2026, 3, 1)), ("FR", date(2027, 3, 1))):
        other = make_placement(origin="TN", host=host, start=start,
                               end=start + timedelta(days=150), status="cancelled")
        VisaOutcome.objects.create(placement=other, decision="refused")


def expected(nationality: str | None, field: str, *, exact: bool) -> object:
    if not exact and (nationality, field) in WITHHELD:
        return WITHHELD[(nationality, field)]
    return HAND[nationality][FIELDS.index(field)]


def download(client, user, fmt):  # type: ignore[no-untyped-def]
    client.force_login(user)
    response = client.get(reverse("balance:annual"), {**PARAMS, "format": fmt})
    assert response.status_code == 200
    return response


READERS = pytest.mark.parametrize("exact", [True, False], ids=["staff", "outside"])


def reader(exact: bool):  # type: ignore[no-untyped-def]
    return StaffFactory() if exact else UserFactory()


# --- CSV and XLSX ------------------------------------------------------------------------------

@READERS
def test_csv_has_a_visas_section_with_the_hand_count(client, composed, exact):
    response = download(client, reader(exact), "csv")

    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    visas = {figure: value for section, figure, value in rows[1:] if section == "Visas"}
    assert len(visas) == 4 * 5  # three nationalities and the total, five figures each
    for code, name in NAMES.items():
        for field, measure in zip(FIELDS, MEASURES, strict=True):
            want = expected(code, field, exact=exact)
            got = visas[f"Service Civique, {name}: {measure}"]
            if isinstance(want, float):
                assert float(got) == pytest.approx(want), (name, measure)
            else:
                assert got == str(want), (name, measure)


@READERS
def test_xlsx_has_the_visas_in_the_report_sheet_and_a_visas_sheet(client, composed, exact):
    response = download(client, reader(exact), "xlsx")

    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Report", "Origins", "Destinations", "Visas"]
    sheet = [[c.value for c in row] for row in book["Visas"].iter_rows()]
    assert sheet[0] == ["Scheme", "Nationality", *MEASURES]
    by_name = {row[1]: row for row in sheet[1:]}
    assert set(by_name) == set(NAMES.values())
    for code, name in NAMES.items():
        assert by_name[name][0] == "Service Civique"
        for i, field in enumerate(FIELDS):
            want = expected(code, field, exact=exact)
            assert by_name[name][2 + i] == (pytest.approx(want) if isinstance(want, float)
                                            else want), (name, field)
    report = {row[1].value: row[2].value for row in book["Report"].iter_rows(min_row=2)
              if row[0].value == "Visas"}
    assert report["Service Civique, Tunisia: Refused"] == (1 if exact else "< 3")
    assert report["Service Civique, All nationalities: Decisions"] == 14


# --- PDF ---------------------------------------------------------------------------------------

def pdf_text(content: bytes, tmp_path) -> str:  # type: ignore[no-untyped-def]
    path = tmp_path / "report.pdf"
    path.write_bytes(content)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True,
                          capture_output=True, text=True).stdout


def pdf_visa_rows(text: str) -> dict[str, list[str]]:
    """The visa table's rows, by nationality: the cells after the name, split on the layout's
    runs of spaces (inside a cell, pdftotext may drop a thin space: "< 3" reads "<3")."""
    section = text.split("Visa outcomes by nationality", 1)[1]
    rows = {}
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().split("  ") if c.strip()]
        for name in NAMES.values():
            if name in cells:
                rows[name] = cells[cells.index(name) + 1:]
    return rows


def as_printed(value: object, field: str) -> str:
    if isinstance(value, str):
        return value
    if field == "refusal_rate":
        return f"{round(float(value) * 100)} %"  # type: ignore[arg-type]
    return f"{float(value):g}"  # type: ignore[arg-type]


@READERS
def test_pdf_prints_the_visa_table_with_the_hand_count(client, composed, exact, tmp_path):
    response = download(client, reader(exact), "pdf")

    text = pdf_text(response.content, tmp_path)
    rows = pdf_visa_rows(text)
    assert set(rows) == set(NAMES.values()), text
    for code, name in NAMES.items():
        assert [c.replace(" ", "") for c in rows[name]] == [
            as_printed(expected(code, f, exact=exact), f).replace(" ", "") for f in FIELDS], name
    assert ("shown as “< 3”" in text.replace("\n", " ")) is not exact


# --- API and the command -----------------------------------------------------------------------

def visa_by_nationality(visa: list[dict]) -> dict:  # type: ignore[type-arg]
    assert {row["scheme"] for row in visa} == {"service_civique"}
    assert visa[-1]["nationality"] is None  # the scheme's total closes it
    return {row["nationality"]: row for row in visa}


@READERS
def test_api_report_carries_the_visa_rows(client, composed, exact):
    client.force_login(reader(exact))

    report = client.get("/api/v1/balance/reports/annual", {"year": 2026}).json()

    rows = visa_by_nationality(report["visa"])
    for code in NAMES:
        for field in FIELDS:
            want = expected(code, field, exact=exact)
            got = rows[code][field]
            if isinstance(want, str):
                assert got is None, (code, field)  # withheld: null, never the value
                assert field in rows[code]["suppressed"]
                assert f"visa.service_civique.{code or 'all'}.{field}" in report["suppressed"]
            else:
                assert got == pytest.approx(want), (code, field)
    if exact:
        assert all(row["suppressed"] == [] for row in report["visa"])
        assert report["suppressed"] == []


def test_command_json_adds_a_visa_key_and_keeps_the_others(composed):
    out = io.StringIO()
    call_command("report", "annual", "--year", "2026", "--json", stdout=out)
    report = json.loads(out.getvalue())

    assert set(report) == {"year", "host_country", "scheme", "basis", "hosted", "sent",
                           "by_scheme", "by_gender", "completion_rate",
                           "early_termination_rate", "sentence_en", "sentence_fr", "sentence_es", "visa"}
    # The operator reads the whole database: exact, as the rest of the report.
    rows = visa_by_nationality(report["visa"])
    for code in NAMES:
        assert tuple(rows[code][f] for f in FIELDS) == pytest.approx(HAND[code]), code


@pytest.mark.django_db
def test_command_text_has_a_visa_section_in_the_chosen_language(composed):
    english, french = io.StringIO(), io.StringIO()
    call_command("report", "annual", "--year", "2026", "--language", "en", stdout=english)
    call_command("report", "annual", "--year", "2026", "--language", "fr", stdout=french)

    lines = english.getvalue().splitlines()
    visas = lines[lines.index("Visas:") + 1:]
    assert ("  Service Civique, Senegal: 6 decisions, 3 refused (50 %), median 22 days to "
            "decision, 3 placements lost to visas") in visas
    assert ("  Service Civique, All nationalities: 14 decisions, 4 refused (29 %), median 17 "
            "days to decision, 4 placements lost to visas") in visas
    assert len(visas) == 4
    assert "Sénégal" in french.getvalue()  # country names in the chosen language
