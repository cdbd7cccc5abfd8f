"""A host officer downloads "What is due" as XLSX from the page and subscribes to their private
calendar from the account page (issue 13)."""

import io

import pytest
from icalendar import Calendar
from openpyxl import load_workbook

from reciprocity.procedures.services import procedure_open_for_placement
from reciprocity.procedures.tests.conftest import NOW, TODAY


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_export_opens_with_the_rows_and_the_feed_holds_a_due_step(
        live_server, page, placement, other_placement, host_officer):
    procedure = procedure_open_for_placement(placement=placement, today=TODAY, now=NOW)
    procedure_open_for_placement(placement=other_placement, today=TODAY, now=NOW)

    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "helene")
    page.fill("#id_password", "pass-word-123")
    page.click("form.stack button[type=submit]")

    page.goto(f"{live_server.url}/procedures/due/")
    with page.expect_download() as download_info:
        page.click("a[data-export=xlsx]")
    path = download_info.value.path()
    with open(path, "rb") as handle:
        sheet = load_workbook(io.BytesIO(handle.read())).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][2] == "Step"
    assert len(rows) - 1 == procedure.steps.count()  # hers only, not the other host's
    assert {r[4] for r in rows[1:]} == {str(placement.volunteer)}

    page.goto(f"{live_server.url}/accounts/")
    page.click("#calendar-create")
    feed_url = page.input_value("#calendar-url")
    answer = page.context.request.get(feed_url)
    assert answer.status == 200
    events = Calendar.from_ical(answer.body()).walk("VEVENT")
    step_uids = {f"step-{pk}@reciprocity" for pk in procedure.steps.values_list("pk", flat=True)}
    assert step_uids & {str(e["UID"]) for e in events}

    page.click("#calendar-reset")
    assert page.context.request.get(feed_url).status == 404
