"""The forms anyone may post (volunteer sign-up, password reset) tell nobody whether an address
has an account, and are rate-limited per e-mail address and per client address (429, translated
reason, Retry-After)."""

import re

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client

from reciprocity.accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-Passphrase-42"
SIGN_UP = {
    "email": "awa@example.org", "password1": PASSWORD, "password2": PASSWORD,
    "first_name": "Awa", "last_name": "Diallo", "birth_date": "2002-03-04", "gender": "F",
    "nationality": "SN", "residence_country": "SN", "language_1": "fr", "level_1": "C2",
    "consent_applications": "on",
}


@pytest.fixture(autouse=True)
def _limits_on(settings):  # type: ignore[no-untyped-def]
    settings.ACCOUNT_RATE_LIMIT_PER_EMAIL = "3/hour"
    settings.ACCOUNT_RATE_LIMIT_PER_IP = "5/hour"
    cache.clear()
    yield
    cache.clear()


def _without_csrf(content: bytes) -> bytes:
    return re.sub(rb'name="csrfmiddlewaretoken" value="[^"]*"', b"", content)


class TestPasswordReset:
    def test_the_answer_is_the_same_for_a_known_and_an_unknown_address(self):
        UserFactory(username="amina", email="amina@example.org")
        known_visitor, unknown_visitor = Client(), Client()

        known = known_visitor.post("/accounts/password/reset/", {"email": "amina@example.org"})
        unknown = unknown_visitor.post("/accounts/password/reset/", {"email": "nobody@example.org"})

        assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
        assert _without_csrf(known_visitor.get(known["Location"]).content) == _without_csrf(
            unknown_visitor.get(unknown["Location"]).content)
        [message] = mail.outbox
        assert message.to == ["amina@example.org"]

    def test_too_many_requests_for_one_address_are_refused_with_429(self, client):
        UserFactory(username="amina", email="amina@example.org")
        for _ in range(3):
            assert client.post("/accounts/password/reset/",
                               {"email": "Amina@example.org"}).status_code == 302

        refused = client.post("/accounts/password/reset/", {"email": "amina@example.org"})

        assert refused.status_code == 429
        assert 0 < int(refused["Retry-After"]) <= 3600
        assert "Too many attempts" in refused.content.decode()
        assert len(mail.outbox) == 3
        # Another address from the same connection is still served (the per-IP limit is 5).
        assert client.post("/accounts/password/reset/",
                           {"email": "other@example.org"}).status_code == 302

    def test_too_many_requests_from_one_connection_are_refused(self, client):
        answers = [client.post("/accounts/password/reset/", {"email": f"p{n}@example.org"},
                               REMOTE_ADDR="192.0.2.7").status_code for n in range(6)]

        assert answers == [302] * 5 + [429]
        assert client.post("/accounts/password/reset/", {"email": "p9@example.org"},
                           REMOTE_ADDR="192.0.2.8").status_code == 302

    def test_the_refusal_is_translated(self, client):
        for _ in range(3):
            client.post("/accounts/password/reset/", {"email": "amina@example.org"})

        refused = client.post("/accounts/password/reset/", {"email": "amina@example.org"},
                              HTTP_ACCEPT_LANGUAGE="fr")

        assert refused.status_code == 429
        assert refused.headers["Content-Language"] == "fr"

    def test_a_limit_of_zero_turns_it_off(self, client, settings):
        settings.ACCOUNT_RATE_LIMIT_PER_EMAIL = "0"
        settings.ACCOUNT_RATE_LIMIT_PER_IP = "0"

        answers = {client.post("/accounts/password/reset/",
                               {"email": "amina@example.org"}).status_code for _ in range(8)}

        assert answers == {302}


def test_with_a_worker_the_account_emails_are_queued_not_sent_in_the_request(client, settings,
                                                                              django_capture_on_commit_callbacks):
    """Sent in the request, a known address's e-mail would make its answer slower."""
    from celery.signals import task_prerun

    ran: list[str] = []

    def record(sender, **kwargs):  # type: ignore[no-untyped-def]
        ran.append(sender.name)

    settings.CELERY_TASK_ALWAYS_EAGER = False  # the Celery app itself stays eager in tests
    UserFactory(username="amina", email="amina@example.org")
    task_prerun.connect(record)
    try:
        client.post("/accounts/password/reset/", {"email": "amina@example.org"})
        with django_capture_on_commit_callbacks(execute=True):
            client.post("/volunteers/sign-up/", SIGN_UP)
    finally:
        task_prerun.disconnect(record)

    assert ran.count("reciprocity.accounts.tasks.send_account_email") == 2
    assert [m.to for m in mail.outbox] == [["amina@example.org"], ["awa@example.org"]]


class TestSignUp:
    def test_too_many_sign_ups_for_one_address_are_refused_with_429(self, client):
        for _ in range(3):
            assert client.post("/volunteers/sign-up/", SIGN_UP).status_code == 302
            client.logout()

        refused = client.post("/volunteers/sign-up/", SIGN_UP)

        assert refused.status_code == 429
        assert int(refused["Retry-After"]) > 0
        assert "Too many attempts" in refused.content.decode()
        assert 'id="sign-up-form"' in refused.content.decode()

    def test_too_many_sign_ups_from_one_connection_are_refused(self, client):
        answers = [client.post("/volunteers/sign-up/", {**SIGN_UP, "email": f"v{n}@example.org"},
                               REMOTE_ADDR="192.0.2.9").status_code for n in range(6)]

        assert answers == [302] * 5 + [429]

    def test_the_limit_is_the_same_for_a_known_and_an_unknown_address(self):
        UserFactory(username="known@example.org", email="known@example.org")
        known_visitor, unknown_visitor = Client(), Client()

        known = [known_visitor.post("/volunteers/sign-up/", {**SIGN_UP, "email": "known@example.org"},
                                    REMOTE_ADDR="192.0.2.10").status_code for _ in range(4)]
        unknown = [unknown_visitor.post("/volunteers/sign-up/", {**SIGN_UP, "email": "new@example.org"},
                                        REMOTE_ADDR="192.0.2.11").status_code for _ in range(4)]

        assert known == unknown == [302, 302, 302, 429]
