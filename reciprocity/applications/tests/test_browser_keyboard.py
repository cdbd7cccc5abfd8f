"""Keyboard only (Tab, Enter, Space; no mouse): a volunteer applies to a mission, and the host's
officer accepts the application. Every element the journey stops at shows its focus
(core/tests/keyboard.py); docs/accessibility.md."""

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.utils import timezone

from reciprocity.applications.models import ApplicationChoice
from reciprocity.core.tests.keyboard import activate, type_into
from reciprocity.workflow import applying


def sign_in(page, live_server, user) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME]
    page.context.clear_cookies()
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_volunteer_applies_with_the_keyboard_only(live_server, page, network):
    mission = network.missions[0]
    sign_in(page, live_server, network.volunteer_user)
    page.goto(f"{live_server.url}/missions/{mission.pk}/")

    activate(page, "#apply")
    page.wait_for_selector("#id_motivation")
    type_into(page, "#id_motivation", "I run football sessions at home and want to learn from Lyon.")
    activate(page, "form.stack button[type=submit]")

    page.wait_for_selector("#application-status")
    assert page.text_content("#application-status").strip() == "Submitted"
    assert ApplicationChoice.objects.filter(
        application__volunteer=network.volunteer, mission=mission).exists()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_host_accepts_an_application_with_the_keyboard_only(live_server, page, network):
    application = applying.application_submit(now=timezone.now(),
        actor=network.volunteer_user, volunteer=network.volunteer, missions=[network.missions[0]])
    sign_in(page, live_server, network.host_officer)
    page.goto(f"{live_server.url}/applications/")

    activate(page, "#inbox tbody a")
    page.wait_for_url(f"**/applications/{application.pk}/")
    # Space presses a button as Enter does.
    activate(page, "button[name=accept]", key="Space")

    page.wait_for_selector("text=Accepted")
    assert application.choices.get().status == "accepted"
