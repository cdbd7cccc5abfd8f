"""In a real browser: a host and a volunteer exchange messages on a placement and see the unread
counts in the menu."""

import pytest
from django.conf import settings as django_settings
from django.test import Client


def sign_in(page, live_server, user) -> None:  # type: ignore[no-untyped-def]
    page.context.clear_cookies()
    client = Client()
    client.force_login(user)
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_host_and_volunteer_exchange_messages(live_server, page, parties) -> None:  # type: ignore[no-untyped-def]
    placement = parties.placement
    sign_in(page, live_server, parties.host_officer)
    page.goto(f"{live_server.url}/placements/{placement.pk}/")
    page.click("#placement-conversation")
    page.fill("#id_text", "Welcome! Your room is ready.")
    page.click("#reply-form button[type=submit]")
    page.wait_for_selector("#messages >> text=Welcome! Your room is ready.")
    assert page.locator("#unread-messages").count() == 0  # one's own message is read

    sign_in(page, live_server, parties.volunteer)
    page.goto(f"{live_server.url}/")
    assert page.text_content("#unread-messages") == "1"
    page.click("[data-nav=conversations]")
    page.click("#threads a")
    page.wait_for_selector("#messages >> text=Welcome! Your room is ready.")
    assert page.locator("#unread-messages").count() == 0  # read by opening the thread
    page.fill("#id_text", "Thank you, I land on Monday.")
    page.click("#reply-form button[type=submit]")
    page.wait_for_selector("#messages >> text=Thank you, I land on Monday.")

    sign_in(page, live_server, parties.host_officer)
    page.goto(f"{live_server.url}/conversations/")
    assert page.text_content("#unread-messages") == "1"
    assert page.locator("#threads .badge").text_content().strip() == "1 unread"
    page.click("#threads a")
    page.wait_for_selector("#messages >> text=Thank you, I land on Monday.")
    assert page.locator("#unread-messages").count() == 0
