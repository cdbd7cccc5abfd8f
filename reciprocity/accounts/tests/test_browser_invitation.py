"""An organisation's administrator invites a viewer in a real Chromium; the invitee opens the
link from the e-mail, sets a password, signs in and sees the organisation with the invited
role."""

import re

import pytest
from django.core import mail

from reciprocity.accounts.models import Membership, MembershipRole
from reciprocity.accounts.tests.factories import MembershipFactory, UserFactory
from reciprocity.accounts.tests.two_factor import browser_sign_in
from reciprocity.partners.tests.factories import OrganisationFactory

NEW_PASSWORD = "a-long-Passphrase-42"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_admin_invites_then_new_member_signs_in_with_the_role(live_server, page, _frozen_clock):
    org = OrganisationFactory(name="Maison des Solidarités")
    admin = MembershipFactory(organisation=org, role=MembershipRole.ADMIN,
                              user=UserFactory(username="claire")).user
    base = live_server.url

    browser_sign_in(page, base, admin)
    page.goto(f"{base}/organisations/{org.pk}/")
    page.click("#members-link")
    page.fill("#id_email", "Nadia@example.org")
    page.select_option("#id_role", "viewer")
    page.click("#invite-form button[type=submit]")
    page.wait_for_selector("#invitation-list >> text=nadia@example.org")
    page.click("header form.inline button[type=submit]")  # sign out

    [message] = mail.outbox
    link = re.search(r"https?://\S+/accounts/invitations/\S+/", message.body).group(0)
    page.goto(link)
    page.fill("#id_first_name", "Nadia")
    page.fill("#id_last_name", "Benali")
    page.fill("#id_password1", NEW_PASSWORD)
    page.fill("#id_password2", NEW_PASSWORD)
    page.click("#invitation-new-account button[type=submit]")
    page.wait_for_selector("#id_username")
    page.fill("#id_username", "nadia@example.org")
    page.fill("#id_password", NEW_PASSWORD)
    page.click("form.stack button[type=submit]")
    page.wait_for_url(f"{base}/organisations/{org.pk}/")
    page.click("#members-link")
    page.wait_for_selector("#read-only")
    row = page.locator("#member-list tr", has_text="nadia@example.org")
    assert "Viewer" in row.text_content()
    assert Membership.objects.get(user__email="nadia@example.org").role == MembershipRole.VIEWER

    # The link worked once.
    page.goto(link)
    page.wait_for_selector("#invitation-refused[data-code=invitation_used]")
