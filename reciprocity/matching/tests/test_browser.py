"""A coordinator starts a run from the form; the page follows it in the background to the end."""

import pytest
from django.db import connection

from reciprocity.accounts.tests.two_factor import browser_sign_in
from reciprocity.matching.models import PlacementRun


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_coordinator_runs_a_season_and_accepts(live_server, page, season, settings) -> None:  # type: ignore[no-untyped-def]
    # The default runner is a thread started after commit. SQLite's shared-cache test database
    # locks whole tables between threads ("database table is locked"), so there the run executes
    # in the request; PostgreSQL (CI) exercises the real thread.
    settings.MATCHING_RUNNER = "thread" if connection.vendor == "postgresql" else "inline"
    browser_sign_in(page, live_server.url, season.staff)  # with the code of the staff's app
    page.click("text=Placement runs")
    page.click("#new-run")
    page.fill("#id_label", "Browser season")
    page.fill("#id_season_start", "2027-06-01")
    page.fill("#id_season_end", "2027-09-30")
    page.fill("#id_time_limit", "2")
    page.click("#run-form button[type=submit]")
    # The page refreshes itself (no JavaScript needed) until the run is over.
    page.wait_for_selector("#figures", timeout=30_000)
    assert page.text_content("#run-status") == "Succeeded"
    page.click("#accept-all button")
    page.wait_for_selector("text=proposed placement(s) sent to the hosts")
    run = PlacementRun.objects.get(label="Browser season")
    assert run.proposals.filter(decision="accepted").count() == 2
