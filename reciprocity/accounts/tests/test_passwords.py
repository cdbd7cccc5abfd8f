"""Password reset by e-mail, password change, and the validators (OWASP ASVS 2.1, 2.5)."""

import re

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core import mail
from django.core.exceptions import ValidationError

from reciprocity.accounts.tests.factories import UserFactory
from reciprocity.notifications.models import Notification

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "lantern-orchard-velvet"


def reset_link(body: str) -> str:
    match = re.search(r"https?://testserver(/accounts/password/reset/[^/\s]+/[^/\s]+/)", body)
    assert match, body
    return match.group(1)


def test_the_sign_in_page_links_to_the_password_reset(client):
    body = client.get("/accounts/login/").content.decode()
    assert 'href="/accounts/password/reset/"' in body
    assert "Forgot your password?" in body


def test_password_reset_by_email_end_to_end(client):
    user = UserFactory(username="amina", email="amina@example.org")

    response = client.post("/accounts/password/reset/", {"email": "amina@example.org"})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/password/reset/sent/"
    assert "Check your e-mail" in client.get(response["Location"]).content.decode()
    [email] = mail.outbox
    assert email.to == ["amina@example.org"]
    assert email.subject == "Reset your Reciprocity password"
    assert "Hello amina" in email.body

    # The link redirects to a URL without the token (Django keeps it in the session), then the
    # form sets the new password, validated by the full set of validators.
    form_url = client.get(reset_link(email.body))["Location"]
    page = client.get(form_url)
    assert page.context["validlink"]
    weak = client.post(form_url, {"new_password1": "amina123", "new_password2": "amina123"})
    assert weak.status_code == 200 and weak.context["form"].errors
    done = client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done["Location"] == "/accounts/password/reset/complete/"
    assert "Password changed" in client.get(done["Location"]).content.decode()

    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    # No automatic sign-in; the owner is told; the link does not work twice.
    assert not client.get("/").context["user"].is_authenticated
    assert Notification.objects.filter(user=user, verb="password_changed").exists()
    again = client.get(reset_link(email.body), follow=True)
    assert not again.context["validlink"]
    assert client.post("/accounts/login/", {"username": "amina", "password": NEW_PASSWORD}).status_code == 302


def test_password_reset_for_an_unknown_address_sends_nothing_and_says_the_same(client):
    response = client.post("/accounts/password/reset/", {"email": "nobody@example.org"})
    assert response["Location"] == "/accounts/password/reset/sent/"
    assert mail.outbox == []


def test_password_reset_pages_are_translated(client):
    body = client.get("/accounts/password/reset/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert 'lang="fr"' in body


def test_a_signed_in_user_changes_their_password(client):
    user = UserFactory(username="kofi")
    client.force_login(user)
    assert 'href="/accounts/password/change/"' in client.get("/accounts/").content.decode()

    wrong = client.post("/accounts/password/change/", {
        "old_password": "nope", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert wrong.status_code == 200 and "old_password" in wrong.context["form"].errors
    response = client.post("/accounts/password/change/", {
        "old_password": "pass-word-123", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response["Location"] == "/accounts/password/change/done/"
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    # Still signed in here (Django rotates the session's hash), and told about it.
    assert client.get("/").context["user"].is_authenticated
    assert Notification.objects.filter(user=user, verb="password_changed").exists()


def test_the_password_pages_need_a_signed_in_user(client):
    for url in ("/accounts/", "/accounts/password/change/"):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("password", [
    "short-pw",            # fewer than 12 characters
    "password1234",        # common
    "482915736420",        # numeric only
    "gabriel.okafor",      # too close to the username / name
])
def test_weak_passwords_are_refused(password):
    user = UserFactory.build(username="gabriel.okafor", first_name="Gabriel", last_name="Okafor")
    with pytest.raises(ValidationError):
        validate_password(password, user=user)


def test_the_demo_password_is_accepted():
    user = UserFactory.build(username="staff", first_name="Camille", last_name="Staff",
                             email="staff@example.org")
    assert validate_password("reciprocity-demo", user=user) is None  # Django's "no objection"
