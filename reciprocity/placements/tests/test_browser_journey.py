"""One journey in a real Chromium: a host publishes a mission, a volunteer applies, the host
accepts, the volunteer accepts the offer, the placement is confirmed and its procedure checklist
appears."""

import datetime
import re

import pytest

from reciprocity.accounts.tests.factories import MembershipFactory, UserFactory
from reciprocity.missions.models import MissionStatus
from reciprocity.missions.tests.factories import MissionFactory
from reciprocity.partners.tests.factories import AccreditationFactory, OrganisationFactory
from reciprocity.volunteers.tests.factories import VolunteerFactory

PASSWORD = "pass-word-123"


def sign_in(page, base: str, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("form.stack button[type=submit]")
    page.wait_for_selector("header .who")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_publish_apply_accept_confirm(live_server, page):
    host = OrganisationFactory(name="Maison des Solidarités", contact_name="Claire Martin")
    MembershipFactory(organisation=host, user=UserFactory(username="hostofficer"))
    sender = OrganisationFactory(name="ANVT", country="TG", is_host=False)
    VolunteerFactory(user=UserFactory(username="kofi"), first_name="Kofi", last_name="Mensah",
                     nationality="TG", residence_country="TG", sending_organisation=sender)
    mission = MissionFactory(host=host, status=MissionStatus.DRAFT, title="Youth club in Lyon")
    # The host is accredited for the mission's scheme, or the eligibility check refuses it.
    AccreditationFactory(organisation=host, scheme_id=mission.scheme_id,
                         valid_to=datetime.date(2029, 12, 31))
    base = live_server.url

    # The host publishes the draft mission.
    sign_in(page, base, "hostofficer")
    page.goto(f"{base}/missions/{mission.pk}/")
    page.click("form[action$='/publish/'] button")
    page.wait_for_selector("#mission-status")
    assert page.text_content("#mission-status").strip() == "Published"

    # The volunteer applies from the mission page.
    sign_in(page, base, "kofi")
    page.goto(f"{base}/missions/{mission.pk}/")
    page.click("#apply")
    page.fill("#id_motivation", "I run football sessions at home and want to learn from Lyon.")
    page.click("form.stack button[type=submit]")
    page.wait_for_selector("#application-status")
    assert page.text_content("#application-status").strip() == "Submitted"
    assert "Youth club in Lyon" in page.text_content("table")
    application_url = page.url

    # The host accepts the choice, then confirms the placement.
    sign_in(page, base, "hostofficer")
    page.goto(f"{base}/applications/")
    page.click("#inbox a")
    assert page.url == application_url
    page.click("button[name=accept]")
    page.wait_for_selector("text=Accepted")

    # The volunteer accepts the place offered.
    sign_in(page, base, "kofi")
    page.goto(application_url)
    page.click("button[name=accept-offer]")
    page.wait_for_selector(".offer-status")
    assert "Accepted" in page.inner_text(".offer-status")

    # The host confirms the placement.
    sign_in(page, base, "hostofficer")
    page.goto(application_url)
    page.click("#placements a")
    page.click("button[name=confirm]")
    page.wait_for_selector("#placement-status")
    assert page.text_content("#placement-status").strip() == "Confirmed"
    assert re.search(r"Proposed\s*→\s*Confirmed", page.text_content("ol.history"))
    # The procedures app opens the checklist once the confirmation is committed.
    page.reload()
    assert page.locator("#checklist-title").count() == 1
    assert page.locator("a[href$='invitation.pdf?lang=fr']").count() == 1
