"""A national agency's officer registers a candidate in a real Chromium and nominates them."""

import pytest

from reciprocity.accounts.models import MembershipRole
from reciprocity.accounts.tests.factories import MembershipFactory, UserFactory
from reciprocity.accounts.tests.two_factor import browser_sign_in
from reciprocity.applications.models import Application
from reciprocity.missions.tests.factories import MissionFactory
from reciprocity.partners.tests.factories import OrganisationFactory
from reciprocity.volunteers.models import Volunteer


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_agency_registers_a_candidate_and_nominates_them(live_server, page):
    agency = OrganisationFactory(name="ANVT", is_national_agency=True, is_sending=True)
    officer = MembershipFactory(organisation=agency, role=MembershipRole.OFFICER,
                                user=UserFactory(username="amivi")).user
    mission = MissionFactory(title="School support in Lyon")
    base = live_server.url

    browser_sign_in(page, base, officer)
    page.goto(f"{base}/volunteers/")
    page.click("#register-candidate")
    page.fill("#id_first_name", "Kossi")
    page.fill("#id_last_name", "Agbo")
    page.fill("#id_email", "kossi@example.org")
    page.fill("#id_birth_date", "2000-05-01")
    page.select_option("#id_gender", "M")
    page.select_option("#id_nationality", "TG")
    page.select_option("#id_residence_country", "TG")
    page.fill("#id_language_1", "fr")
    page.select_option("#id_level_1", "C1")
    page.click("#candidate-form button[type=submit]")
    page.wait_for_selector("#edit-candidate")

    page.goto(f"{base}/applications/nominate/")
    page.select_option("#id_organisation", str(agency.pk))
    candidate = Volunteer.objects.get(email="kossi@example.org", sending_organisation=agency)
    page.select_option("#id_volunteers", str(candidate.pk))
    page.select_option("#id_missions", str(mission.pk))
    page.click("form.stack button[type=submit]")
    page.wait_for_url("**/applications/*/")

    application = Application.objects.get(volunteer__email="kossi@example.org")
    assert application.sending_organisation == agency
    assert list(application.choices.values_list("mission_id", flat=True)) == [mission.pk]
