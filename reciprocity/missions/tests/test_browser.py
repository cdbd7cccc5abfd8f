"""A host signs in, creates a mission, publishes it and finds it in the public catalogue."""

import pytest

from reciprocity.accounts.models import MembershipRole
from reciprocity.accounts.tests.factories import MembershipFactory, UserFactory
from reciprocity.missions.models import Mission
from reciprocity.missions.tests.factories import MissionFactory
from reciprocity.partners.tests.factories import OrganisationFactory


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_host_publishes_a_mission_that_the_catalogue_finds_by_country(live_server, page):
    host = OrganisationFactory(name="Maison des Solidarités", country="FR")
    MembershipFactory(user=UserFactory(username="helene"), organisation=host,
                      role=MembershipRole.OFFICER)
    MissionFactory(title="Already in France", country="FR")

    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "helene")
    page.fill("#id_password", "pass-word-123")
    page.click("form.stack button[type=submit]")

    page.click("text=My missions")
    page.click("text=New mission")
    page.select_option("#id_scheme", "service_civique")
    page.fill("#id_title", "School support in Lomé")
    page.select_option("#id_theme", "education")
    page.select_option("#id_country", "TG")
    page.fill("#id_city", "Lomé")
    page.fill("#id_start_date", "2027-09-01")
    page.fill("#id_end_date", "2028-02-29")
    page.fill("#id_capacity", "2")
    page.fill("#id_weekly_hours", "30")
    page.fill("#id_languages", "fr, ee")
    page.click("form.stack button[type=submit]")

    page.wait_for_selector("#mission-status")
    assert page.text_content("#mission-status").strip() == "Draft"
    page.click("form[action$='/publish/'] button")
    page.wait_for_selector(".messages")
    assert page.text_content("#mission-status").strip() == "Published"
    assert Mission.objects.get(title="School support in Lomé").status == "published"

    # The public catalogue, signed out, filtered by country with the plain GET form.
    page.click("header form.inline button[type=submit]")  # sign out
    page.goto(f"{live_server.url}/missions/")
    page.select_option("#id_country", "TG")
    page.click("form.filters button[type=submit]")
    page.wait_for_url("**/missions/?*country=TG*")
    table = page.text_content("table.missions")
    assert "School support in Lomé" in table
    assert "Already in France" not in table


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_visitor_filters_by_country_and_language_then_sorts_by_places_left(live_server, page):
    togo = OrganisationFactory(name="ANVT", country="TG")
    MissionFactory(title="Lomé school", host=togo, languages=["fr", "ee"], capacity=1)
    MissionFactory(title="Kpalimé farm", host=togo, languages=["fr"], capacity=6)
    MissionFactory(title="Atakpamé clinic", host=togo, languages=["ee"], capacity=3)
    MissionFactory(title="Lyon youth", country="FR", languages=["fr"], capacity=9)

    page.goto(f"{live_server.url}/missions/")
    page.select_option("#id_country", label="Togo")
    page.select_option("#id_language", label="French")
    page.click("form.filters button[type=submit]")
    page.wait_for_url("**/missions/?*country=TG*")
    rows = page.locator("table.missions tbody tr td:first-child a")
    assert sorted(rows.all_text_contents()) == ["Kpalimé farm", "Lomé school"]

    page.select_option("#id_sort", "places")
    page.click("form.filters button[type=submit]")
    page.wait_for_url("**/missions/?*sort=places*")
    assert rows.all_text_contents() == ["Kpalimé farm", "Lomé school"]
    # The pickers keep what was chosen; the theme is shown in the list.
    assert page.input_value("#id_country") == "TG"
    assert page.input_value("#id_language") == "fr"
    assert "Solidarity" in page.text_content("table.missions")

    page.click("#missions-map-link")
    page.wait_for_selector("#table-missions-map")
    assert "Togo" in page.text_content("#table-missions-map")
    page.wait_for_selector("#chart-missions-map[data-rendered=true]", timeout=20_000)
