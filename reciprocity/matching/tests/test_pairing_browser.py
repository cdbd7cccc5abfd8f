"""A coordinator pairs a WECCEE cohort in a real browser: new run, review, accept, and the
partner named on the placement's page."""

import pytest

from reciprocity.accounts.tests.factories import StaffFactory
from reciprocity.accounts.tests.two_factor import browser_sign_in
from reciprocity.matching.models import PairingRun
from reciprocity.placements.models import PairingMember


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_coordinator_pairs_a_cohort_and_accepts(live_server, page, cohort) -> None:  # type: ignore[no-untyped-def]
    staff = StaffFactory()
    browser_sign_in(page, live_server.url, staff)  # with the code of the staff's app
    page.click("text=Pairing runs")
    page.click("#new-pairing-run")
    page.fill("#id_label", "WECCEE autumn")
    page.select_option("#id_programme", label="WECCEE")
    page.fill("#id_season_start", "2027-09-01")
    page.fill("#id_season_end", "2027-10-31")
    page.click("#pairing-run-form button[type=submit]")
    # Without a broker the task ran in the request: the page shows the result at once.
    page.wait_for_selector("#figures", timeout=30_000)
    assert page.text_content("#run-status") == "Succeeded"
    assert page.text_content("#pairs-count") == "1"
    assert page.is_visible("text=Camille Pairing") and page.is_visible("text=Awa Pairing")
    page.click("#accept-all button")
    page.wait_for_selector("text=pair(s) accepted")
    run = PairingRun.objects.get(label="WECCEE autumn")
    assert run.pairs.get().decision == "accepted"
    assert PairingMember.objects.filter(placement=cohort.camille).exists()

    page.goto(f"{live_server.url}/placements/{cohort.camille.pk}/")
    assert "Binôme: Awa Pairing, Mission of Awa" in page.text_content("#placement-partner")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_coordinator_dissolves_an_accepted_pair(live_server, page, cohort, run_for) -> None:  # type: ignore[no-untyped-def]
    """Dissolve… on the run's page, the confirmation asks why, and the placement shows no
    current partner any more, only the former one with the reason."""
    import datetime

    from reciprocity.matching.pairing_services import pairing_run_accept

    run = run_for(cohort)
    staff = StaffFactory()
    pairing_run_accept(run=run, actor=staff, now=datetime.datetime(2026, 11, 26, 9, tzinfo=datetime.UTC))
    pair = run.pairs.get()
    browser_sign_in(page, live_server.url, staff)

    page.goto(f"{live_server.url}/matching/pairing/{run.pk}/")
    page.click(f"#dissolve-{pair.pk}")
    page.fill("#id_reason", "Awa moved to another mission.")
    page.click("#dissolve-form button[type=submit]")
    page.wait_for_selector("text=The pair is dissolved")

    assert page.is_visible("text=Awa moved to another mission.")
    pair.refresh_from_db()
    assert pair.decision == "dissolved"
    page.goto(f"{live_server.url}/placements/{cohort.camille.pk}/")
    assert page.locator("#placement-partner").count() == 0
    former = page.text_content(f"#former-partner-{pair.pairing_id}") or ""
    assert "Former binôme: Awa Pairing, Mission of Awa" in former
    assert "Awa moved to another mission." in former and staff.username in former
