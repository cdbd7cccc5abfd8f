"""A real Chromium signs in and reaches the missions list."""

import pytest

from reciprocity.accounts.tests.factories import UserFactory
from reciprocity.missions.tests.factories import MissionFactory


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_sign_in_then_missions_list(live_server, page):
    UserFactory(username="claire")
    MissionFactory(title="Repair café and waste reduction — Lyon")
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "claire")
    page.fill("#id_password", "pass-word-123")
    page.click("form.stack button[type=submit]")
    page.click("text=Missions")
    page.wait_for_selector("table.missions")
    assert "Repair café" in page.text_content("table.missions")
    assert page.text_content("header .who") == "claire"
    # No CDN: every request stays on the test server.
    assert all(url.startswith(live_server.url) for url in requests)
