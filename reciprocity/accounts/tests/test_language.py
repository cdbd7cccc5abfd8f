"""The language switch, remembered per person (docs/accounts.md, "Language")."""

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from reciprocity.accounts.services import email_verification_send, user_set_preferred_language
from reciprocity.accounts.tests.factories import UserFactory
from reciprocity.core.exceptions import ApplicationError
from reciprocity.notifications.services import notify

pytestmark = pytest.mark.django_db

SWITCH = "/i18n/setlang/"


def test_every_page_offers_the_three_languages_by_their_own_names(client):
    body = client.get("/missions/").content.decode()

    assert '<option value="en" lang="en" selected>English</option>' in body
    assert '<option value="fr" lang="fr">Français</option>' in body
    assert '<option value="es" lang="es">Español</option>' in body
    assert f'action="{SWITCH}"' in body


def test_an_anonymous_switch_sets_the_cookie_and_returns_to_the_page(client):
    response = client.post(SWITCH, {"language": "es", "next": "/missions/"})

    assert response.status_code == 302
    assert response["Location"] == "/missions/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "es"
    assert '<html lang="es">' in client.get("/missions/").content.decode()


def test_a_signed_in_switch_is_saved_and_wins_over_the_browser(client):
    user = UserFactory()
    client.force_login(user)

    client.post(SWITCH, {"language": "fr", "next": "/"})
    user.refresh_from_db()
    client.cookies.pop(settings.LANGUAGE_COOKIE_NAME)
    body = client.get("/missions/", HTTP_ACCEPT_LANGUAGE="es").content.decode()

    assert user.preferred_language == "fr"
    assert '<html lang="fr">' in body


def test_the_preference_follows_the_person_to_another_browser(client):
    user = UserFactory(preferred_language="es")
    client.force_login(user)

    response = client.get("/missions/", HTTP_ACCEPT_LANGUAGE="fr")

    assert '<html lang="es">' in response.content.decode()
    # The cookie follows, so the pages after signing out stay in Spanish.
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "es"


def test_an_unknown_language_is_neither_saved_nor_activated(client):
    user = UserFactory(preferred_language="fr")
    client.force_login(user)

    client.post(SWITCH, {"language": "de", "next": "/"})
    user.refresh_from_db()

    assert user.preferred_language == "fr"
    with pytest.raises(ApplicationError):
        user_set_preferred_language(user=user, language="xx")


def test_without_a_preference_the_browser_decides(client):
    client.force_login(UserFactory(preferred_language=""))

    body = client.get("/missions/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()

    assert '<html lang="fr">' in body


def test_signing_in_remembers_the_language_of_the_sign_in_page(client):
    user = UserFactory(username="lucia", preferred_language="")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"

    client.post(reverse("accounts:login"), {"username": "lucia", "password": "pass-word-123"})
    user.refresh_from_db()

    assert user.preferred_language == "es"


def test_signing_in_keeps_a_chosen_language(client):
    user = UserFactory(username="marc", preferred_language="fr")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"

    client.post(reverse("accounts:login"), {"username": "marc", "password": "pass-word-123"})
    user.refresh_from_db()

    assert user.preferred_language == "fr"


def test_the_account_page_lets_the_person_pick_their_language(client):
    user = UserFactory(preferred_language="fr")
    client.force_login(user)

    body = client.get(reverse("accounts:account")).content.decode()
    response = client.post(SWITCH, {"language": "en", "next": "/accounts/#language"})
    user.refresh_from_db()

    assert 'name="language" value="fr" checked' in body
    assert 'value="es"' in body
    assert response["Location"] == "/accounts/#language"
    assert user.preferred_language == "en"


def test_notifications_are_written_in_the_recipients_language(django_capture_on_commit_callbacks):
    french, english = UserFactory(preferred_language="fr"), UserFactory(preferred_language="en")

    with django_capture_on_commit_callbacks(execute=True):
        notify(users=[french, english], subject=_("Your account"))

    subjects = {m.to[0]: m.subject for m in mail.outbox}
    assert subjects[english.email] == "Your account"
    assert subjects[french.email] != "Your account"


def test_the_verification_e_mail_is_in_the_persons_language(django_capture_on_commit_callbacks):
    user = UserFactory(preferred_language="fr")

    with django_capture_on_commit_callbacks(execute=True):
        email_verification_send(user=user, base_url="https://example.org")

    [email] = mail.outbox
    assert email.subject != "Confirm your e-mail address for Reciprocity"
    assert "https://example.org/accounts/verify/" in email.body
