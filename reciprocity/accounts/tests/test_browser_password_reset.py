"""A person who forgot their password asks for a link from the sign-in page in a real Chromium,
follows it from the e-mail, chooses a new password and signs in with it; the link then works no
more."""

import re

import pytest
from django.core import mail

from reciprocity.accounts.tests.factories import UserFactory

NEW_PASSWORD = "another-long-Passphrase-17"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_forgotten_password_reset_by_email_link(live_server, page):
    user = UserFactory(username="amina", email="amina@example.org")
    base = live_server.url

    page.goto(f"{base}/accounts/login/")
    page.click("#forgot-password")
    page.fill("#id_email", "Amina@Example.org")
    page.click("#password-reset button[type=submit]")
    page.wait_for_selector("#reset-sent")

    [message] = mail.outbox
    assert message.to == ["amina@example.org"]
    link = re.search(r"https?://\S+/accounts/password/reset/\S+/\S+/", message.body).group(0)
    page.goto(link)
    page.fill("#id_new_password1", NEW_PASSWORD)
    page.fill("#id_new_password2", NEW_PASSWORD)
    page.click("#password-set button[type=submit]")
    page.wait_for_selector("#reset-complete")
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)

    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", "amina")
    page.fill("#id_password", NEW_PASSWORD)
    page.click("form.stack button[type=submit]")
    page.wait_for_selector("header form.inline button[type=submit]")  # the sign-out button

    # The link worked once.
    page.goto(link)
    page.wait_for_selector("#invalid-link")
