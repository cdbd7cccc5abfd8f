"""A coordinator imports a missions file with two bad rows (nothing written, both reported),
fixes it and imports it (progress page, then the summary), then imports it again (all
unchanged)."""

import pytest
from django.db import connection

from reciprocity.accounts.models import MembershipRole
from reciprocity.accounts.tests.factories import MembershipFactory
from reciprocity.accounts.tests.two_factor import browser_sign_in
from reciprocity.imports.models import ImportBatch
from reciprocity.imports.tests.helpers import MISSION_HEADER, csv_bytes, mission_line
from reciprocity.missions.models import Mission
from reciprocity.partners.tests.factories import OrganisationFactory


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_coordinator_imports_missions_fixes_two_rows_and_reimports(  # type: ignore[no-untyped-def]
        live_server, page, settings, tmp_path):
    # As for placement runs: SQLite's shared-cache test database locks whole tables between
    # threads, so there the import runs in the request; PostgreSQL (CI) runs the real thread.
    settings.IMPORTS_RUNNER = "thread" if connection.vendor == "postgresql" else "inline"
    OrganisationFactory(name="Maison des Solidarités", country="FR", is_host=True)
    coordinator = OrganisationFactory(name="Coordination", is_coordinator=True, is_host=False)
    user = MembershipFactory(organisation=coordinator, role=MembershipRole.OFFICER).user
    good = [mission_line(f"WC-{n}", title=f"Chantier {n}") for n in range(1, 6)]
    bad = list(good)
    bad[1] = mission_line("WC-2", title="Chantier 2", capacity="lots")
    bad[3] = mission_line("WC-4", title="Chantier 4", start="2027-13-01")
    (tmp_path / "bad.csv").write_bytes(csv_bytes(MISSION_HEADER, bad, delimiter=";"))
    (tmp_path / "good.csv").write_bytes(csv_bytes(MISSION_HEADER, good, delimiter=";"))

    browser_sign_in(page, live_server.url, user)
    page.goto(f"{live_server.url}/imports/")
    page.click("#import-kinds >> text=Missions")
    page.set_input_files("#id_upload", str(tmp_path / "bad.csv"))
    page.click("#import-upload button[type=submit]")
    errors = page.text_content("#import-errors")
    assert "capacity 'lots'" in errors and "start_date '2027-13-01'" in errors
    assert page.locator("#import-errors tbody tr").count() == 2
    assert page.locator("#import-confirm").count() == 0
    assert not Mission.objects.exists()

    page.set_input_files("#id_upload", str(tmp_path / "good.csv"))
    page.click("#import-upload button[type=submit]")
    assert "5 to create, 0 to update, 0 unchanged" in page.text_content("#import-counts")
    page.click("#import-confirm button[type=submit]")
    # The import's page shows its progress and refreshes itself until it is done.
    page.wait_for_selector("#import-summary", timeout=30_000)
    assert "5 created, 0 updated, 0 unchanged" in page.text_content("#import-summary")
    assert Mission.objects.count() == 5

    page.goto(f"{live_server.url}/imports/missions/")
    page.set_input_files("#id_upload", str(tmp_path / "good.csv"))
    page.click("#import-upload button[type=submit]")
    assert "0 to create, 0 to update, 5 unchanged" in page.text_content("#import-counts")
    page.click("#import-confirm button[type=submit]")
    page.wait_for_selector("#import-summary", timeout=30_000)
    assert "0 created, 0 updated, 5 unchanged" in page.text_content("#import-summary")
    assert Mission.objects.count() == 5 and ImportBatch.objects.count() == 2
