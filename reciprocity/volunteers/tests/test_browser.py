"""An anonymous visitor signs up from a mission of the catalogue, confirms their address from
the e-mail, signs in and applies to that mission."""

import re

import pytest
from django.core import mail

from reciprocity.applications.models import Application
from reciprocity.missions.tests.factories import MissionFactory


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_anonymous_sign_up_then_email_link_then_apply(live_server, page):
    mission = MissionFactory(title="School support in Lomé")

    page.goto(f"{live_server.url}/missions/{mission.pk}/")
    page.click("#apply")
    page.fill("#id_email", "kofi@example.org")
    page.fill("#id_password1", "a-long-Passphrase-42")
    page.fill("#id_password2", "a-long-Passphrase-42")
    page.fill("#id_first_name", "Kofi")
    page.fill("#id_last_name", "Mensah")
    page.fill("#id_birth_date", "2001-04-02")
    page.select_option("#id_gender", "M")
    page.select_option("#id_nationality", "TG")
    page.select_option("#id_residence_country", "TG")
    page.fill("#id_language_1", "fr")
    page.select_option("#id_level_1", "C1")
    page.check("#id_consent_applications")
    page.click("#sign-up-form button[type=submit]")
    # The same page whether the address was known or not: nobody is signed in yet.
    page.wait_for_selector("#sign-up-sent")

    [message] = mail.outbox
    link = re.search(r"https?://\S+/accounts/verify/\S+/", message.body).group(0)
    page.goto(link)
    # Confirmed: the sign-in leads back to the mission the sign-up started from.
    page.fill("#id_username", "kofi@example.org")
    page.fill("#id_password", "a-long-Passphrase-42")
    page.click("main form button[type=submit]")
    page.wait_for_selector("#id_motivation")
    page.fill("#id_motivation", "I teach maths to my neighbours' children.")
    page.click("form.stack button[type=submit]")
    page.wait_for_url("**/applications/*/")

    application = Application.objects.get(volunteer__user__email="kofi@example.org")
    assert list(application.choices.values_list("mission_id", flat=True)) == [mission.pk]
