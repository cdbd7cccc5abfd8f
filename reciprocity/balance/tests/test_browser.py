from datetime import date

import pytest
from django.conf import settings as django_settings
from django.test import Client

from reciprocity.accounts.tests.factories import StaffFactory
from reciprocity.balance.services import ledger_backfill
from reciprocity.balance.tests.helpers import make_placement


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_dashboard_draws_its_charts(live_server, page, settings):
    # The vendored ECharts lives in reciprocity/static/ (served from there whatever the
    # project's STATICFILES_DIRS says).
    settings.STATICFILES_DIRS = [django_settings.PACKAGE_DIR / "static"]
    for origin in ("TN", "TN", "SN"):
        make_placement(origin=origin, host="FR", start=date(2019, 3, 1), end=date(2019, 8, 31))
    make_placement(origin="FR", host="SN", start=date(2019, 3, 1), end=date(2019, 8, 31))
    ledger_backfill()
    client = Client()
    client.force_login(StaffFactory())
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value,
                               "url": live_server.url}])
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))

    page.goto(f"{live_server.url}/balance/?year=2019")

    for name in ("flows", "countries", "series", "origins", "schemes"):
        chart = page.locator(f"#chart-{name}")
        chart.locator("svg").first.wait_for(timeout=10_000)
        assert chart.get_attribute("data-rendered") == "true"
    assert page.locator("#chart-origins svg text", has_text="Tunisia").count() >= 1
    assert page.locator("#table-origins tbody tr").count() == 2
    assert errors == []

    page.locator("#table-origins tbody tr").first.locator("a").first.click()
    page.wait_for_url("**/balance/placements/**")
    assert page.locator("tbody tr").count() == 2
