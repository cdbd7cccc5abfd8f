"""A coordinator copies next year's agreements twice, changes a quota in one scenario, compares
the two and applies it, in a real browser."""

import pytest

from reciprocity.accounts.tests.two_factor import browser_sign_in
from reciprocity.agreements.models import AgreementYearQuota
from reciprocity.planning.models import Scenario


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_coordinator_compares_and_applies_a_scenario(live_server, page, network) -> None:  # type: ignore[no-untyped-def]
    senegal = network["senegal_ag"]
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    browser_sign_in(page, live_server.url, network["officer"])
    page.click("header >> text=Quota scenarios")
    for name in ("As agreed", "More from France"):
        page.fill("#id_name", name)
        page.click("#scenario-form button[type=submit]")
        page.wait_for_selector("#scenario-lines")
        page.goto(f"{live_server.url}/planning/")

    page.click("text=More from France")
    row = f'#scenario-lines tr[data-agreement="{senegal.reference}"]'
    assert "within" in page.text_content(f"{row} .scenario-position")
    page.fill(f"#id_ab_{senegal.pk}", "14")
    page.click("#quotas button[type=submit]")
    page.wait_for_selector("text=Quotas saved")
    # 14 sent from France, 10 back: 4 beyond a tolerance of 3, while the current plan balances.
    assert page.text_content(f"{row} .scenario-position").split()[0] == "4"
    assert "outside" in page.text_content(f"{row} .scenario-position")
    # The network chart draws the table beside it.
    page.wait_for_selector("#chart-scenario-network svg")

    page.select_option("select[name=second]", label="As agreed (2027)")
    page.click("#compare")
    page.wait_for_selector("#comparison")
    compared = page.text_content(f'#comparison tr[data-agreement="{senegal.reference}"]')
    assert "14 / 10" in compared and "10 / 10" in compared

    page.click("#comparison >> text=More from France (2027)")
    page.click("#apply")
    page.wait_for_selector("text=Applied: the agreements have their 2027 quotas.")
    assert "Applied" in page.text_content("#scenario-status")
    assert page.locator("#apply").count() == 0
    assert Scenario.objects.get(name="More from France").status == "applied"
    assert AgreementYearQuota.objects.get(agreement=senegal, year=2027).quota_a_to_b == 14
    assert errors == []
