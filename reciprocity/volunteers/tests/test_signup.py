"""Volunteer sign-up: account and volunteer record, consents, e-mail confirmation before the
first application, the profile the volunteer edits."""

import datetime
import re

import pytest
from django.core import mail, signing
from django.utils import timezone
from django.utils.http import urlencode

from reciprocity.accounts.models import Consent, User
from reciprocity.accounts.services import (
    EMAIL_VERIFICATION_MAX_AGE,
    VerificationFailed,
    consent_withdraw,
    email_verification_token,
    email_verify,
)
from reciprocity.core.exceptions import ApplicationError, NotAllowed
from reciprocity.missions.tests.factories import MissionFactory
from reciprocity.volunteers.signup import Language, volunteer_sign_up
from reciprocity.workflow.applying import application_submit

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-Passphrase-42"


def sign_up(**overrides):  # type: ignore[no-untyped-def]
    fields = {
        "email": "Kofi.Mensah@Example.org", "password": PASSWORD, "first_name": "Kofi",
        "last_name": "Mensah", "birth_date": datetime.date(2001, 4, 2), "gender": "M",
        "nationality": "TG", "residence_country": "TG",
        "languages": [Language("fr", "C1"), Language("ee", "native")],
        "consents": ["applications", "statistics"], "now": timezone.now(),
        "base_url": "http://testserver/",
    }
    fields.update(overrides)
    return volunteer_sign_up(**fields)


def link_in(message) -> str:  # type: ignore[no-untyped-def]
    return re.search(r"http://testserver(/accounts/verify/\S+/)", message.body).group(1)


class TestVolunteerSignUp:
    def test_creates_the_account_and_the_volunteer_linked_to_it(self, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True):
            volunteer = sign_up()

        user = volunteer.user
        assert user.username == user.email == "kofi.mensah@example.org"
        assert user.check_password(PASSWORD)
        assert user.email_verification_pending is True
        assert (volunteer.first_name, volunteer.last_name, str(volunteer.nationality)) == (
            "Kofi", "Mensah", "TG")
        assert volunteer.languages == [{"code": "fr", "level": "C1"},
                                       {"code": "ee", "level": "native"}]
        assert volunteer.reference.startswith("SELF-")
        assert volunteer.sending_organisation is None
        [message] = mail.outbox
        assert message.to == ["kofi.mensah@example.org"]
        assert "/accounts/verify/" in message.body

    def test_records_each_consent_with_its_version_date_and_method(self):
        volunteer = sign_up()

        consents = Consent.objects.filter(user=volunteer.user).order_by("purpose")
        assert [(c.purpose, c.text_version, c.method) for c in consents] == [
            ("applications", "2026-11", "web_form"), ("statistics", "2026-11", "web_form")]
        assert all(c.given_at and c.withdrawn_at is None for c in consents)

    def test_refuses_without_the_consent_needed_to_apply(self):
        with pytest.raises(ApplicationError) as refused:
            sign_up(consents=["statistics"])

        assert refused.value.code == "consent_required"
        assert not User.objects.filter(email="kofi.mensah@example.org").exists()

    def test_refuses_a_weak_password_with_djangos_validators(self):
        with pytest.raises(ApplicationError) as refused:
            sign_up(password="12345678")

        assert "password" in refused.value.details
        assert not User.objects.exists()

    def test_a_known_address_creates_nothing_and_tells_its_owner(self, django_capture_on_commit_callbacks):
        owner = sign_up().user
        mail.outbox.clear()

        with django_capture_on_commit_callbacks(execute=True):
            result = sign_up(email="KOFI.MENSAH@example.org", first_name="Someone")

        assert result is None
        assert User.objects.filter(email__iexact="kofi.mensah@example.org").count() == 1
        [message] = mail.outbox
        assert message.to == [owner.email]
        assert "tried to create" in message.subject + message.body
        assert "/accounts/verify/" not in message.body

    def test_a_known_address_gets_the_same_refusals_as_a_new_one(self):
        sign_up()

        with pytest.raises(ApplicationError) as refused:
            sign_up(email="kofi.mensah@example.org", password="12345678")

        assert "password" in refused.value.details

    def test_sends_no_mail_when_the_sign_up_rolls_back(self, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True), pytest.raises(ApplicationError):
            sign_up(languages=[Language("french", "C1")])

        assert mail.outbox == []
        assert not User.objects.exists()


class TestEmailVerification:
    def test_the_link_confirms_the_address(self):
        user = sign_up().user

        email_verify(token=email_verification_token(user=user), now=timezone.now())

        user.refresh_from_db()
        assert user.email_verification_pending is False and user.email_verified_at is not None

    def test_an_expired_link_is_refused(self, _frozen_clock):
        user = sign_up().user
        token = email_verification_token(user=user)
        _frozen_clock.shift(EMAIL_VERIFICATION_MAX_AGE + datetime.timedelta(minutes=1))

        with pytest.raises(VerificationFailed) as refused:
            email_verify(token=token, now=timezone.now())

        assert refused.value.code == "link_expired"

    def test_an_altered_link_or_one_for_an_old_address_is_refused(self):
        user = sign_up().user
        token = email_verification_token(user=user)
        with pytest.raises(VerificationFailed):
            email_verify(token=token[:-2] + "xx", now=timezone.now())
        user.email = "other@example.org"
        user.save()

        with pytest.raises(VerificationFailed):
            email_verify(token=token, now=timezone.now())

    def test_a_token_of_another_purpose_is_refused(self):
        user = sign_up().user
        forged = signing.TimestampSigner(salt="elsewhere").sign_object(
            {"user": user.pk, "email": user.email})

        with pytest.raises(VerificationFailed):
            email_verify(token=forged, now=timezone.now())

    def test_applying_needs_a_confirmed_address(self):
        volunteer = sign_up()
        mission = MissionFactory()

        with pytest.raises(NotAllowed) as refused:
            application_submit(now=timezone.now(), actor=volunteer.user, volunteer=volunteer, missions=[mission])

        assert refused.value.code == "email_not_verified"
        email_verify(token=email_verification_token(user=volunteer.user), now=timezone.now())
        volunteer.user.refresh_from_db()
        assert application_submit(now=timezone.now(), actor=volunteer.user, volunteer=volunteer, missions=[mission])


class TestConsentWithdrawal:
    def test_withdrawal_is_recorded_and_only_by_the_person(self):
        volunteer = sign_up()
        other = sign_up(email="awa@example.org").user
        consent = Consent.objects.get(user=volunteer.user, purpose="statistics")

        with pytest.raises(NotAllowed):
            consent_withdraw(user=other, consent=consent, now=timezone.now())
        consent_withdraw(user=volunteer.user, consent=consent, now=timezone.now())

        consent.refresh_from_db()
        assert consent.withdrawn_at is not None


# --- pages ------------------------------------------------------------------------------------

FORM = {
    "email": "awa@example.org", "password1": PASSWORD, "password2": PASSWORD,
    "first_name": "Awa", "last_name": "Diallo", "birth_date": "2002-03-04", "gender": "F",
    "nationality": "SN", "residence_country": "SN", "language_1": "fr", "level_1": "C2",
    "consent_applications": "on",
}


def test_the_sign_up_page_creates_the_account_and_sends_the_link_without_signing_in(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/volunteers/sign-up/", FORM)

    assert response.status_code == 302 and response["Location"] == "/volunteers/sign-up/sent/"
    assert "awa@example.org" in client.get(response["Location"]).content.decode()
    assert client.get("/volunteers/me/").status_code == 302  # to the sign-in
    assert User.objects.get(email="awa@example.org").volunteer.first_name == "Awa"
    [message] = mail.outbox
    assert "/accounts/verify/" in message.body


def _page(client, response) -> tuple[int, str, bytes]:  # type: ignore[no-untyped-def]
    page = client.get(response["Location"])
    # Each visitor's session has its own CSRF token; nothing else may differ.
    body = re.sub(rb'name="csrfmiddlewaretoken" value="[^"]*"', b"", page.content)
    return response.status_code, response["Location"], body


def test_the_sign_up_answers_the_same_for_a_known_and_an_unknown_address(client, django_capture_on_commit_callbacks):
    from django.test import Client

    with django_capture_on_commit_callbacks(execute=True):
        unknown = client.post("/volunteers/sign-up/", FORM)
    other_visitor = Client()
    with django_capture_on_commit_callbacks(execute=True):
        known = other_visitor.post("/volunteers/sign-up/", {**FORM, "first_name": "Mallory"})

    assert _page(client, unknown) == _page(other_visitor, known)
    assert sorted(client.cookies) == sorted(other_visitor.cookies)
    assert User.objects.filter(email="awa@example.org").count() == 1
    link, warning = mail.outbox
    assert "/accounts/verify/" in link.body and "/accounts/verify/" not in warning.body
    assert warning.to == ["awa@example.org"] and "tried to create" in warning.body


def test_the_sign_up_page_shows_the_refusals(client):
    response = client.post("/volunteers/sign-up/", {**FORM, "password2": "different",
                                                    "consent_applications": ""})

    body = response.content.decode()
    assert response.status_code == 200
    assert 'id="error-password2"' in body and 'id="error-consent_applications"' in body
    assert not User.objects.exists()


def test_an_unverified_volunteer_is_asked_to_confirm_before_applying(client, django_capture_on_commit_callbacks):
    mission = MissionFactory()
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/volunteers/sign-up/", FORM)
    client.force_login(User.objects.get(email="awa@example.org"))

    response = client.get(f"/applications/new/?mission={mission.pk}")

    assert response.status_code == 403
    assert 'id="resend-verification"' in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/verify/resend/", {"next": f"/applications/new/?mission={mission.pk}"})
    assert len(mail.outbox) == 2
    client.get(link_in(mail.outbox[-1]))
    assert client.get(f"/applications/new/?mission={mission.pk}").status_code == 200


def test_the_link_leads_back_to_the_mission_the_sign_up_started_from(client, django_capture_on_commit_callbacks):
    mission = MissionFactory()
    target = f"/applications/new/?mission={mission.pk}"
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/volunteers/sign-up/", {**FORM, "next": target})

    response = client.get(link_in(mail.outbox[-1]))

    # Nobody is signed in by the sign-up: the link leads to the sign-in, which leads back.
    assert response["Location"] == "/accounts/login/?" + urlencode({"next": target})
    assert User.objects.get(email="awa@example.org").email_verification_pending is False


def test_the_link_followed_while_signed_in_leads_back_to_the_mission(client, django_capture_on_commit_callbacks):
    mission = MissionFactory()
    target = f"/applications/new/?mission={mission.pk}"
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/volunteers/sign-up/", {**FORM, "next": target})
    client.force_login(User.objects.get(email="awa@example.org"))

    assert client.get(link_in(mail.outbox[-1]))["Location"] == target


def test_the_sign_up_ignores_a_next_address_off_the_site(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/volunteers/sign-up/", {**FORM, "next": "https://evil.example/"})

    response = client.get(link_in(mail.outbox[-1]))

    assert response["Location"] == "/accounts/login/"


def test_the_profile_edits_only_what_the_volunteer_may_change(client):
    volunteer = sign_up()
    client.force_login(volunteer.user)

    client.post("/volunteers/me/", {"phone": "+228 90 00 00 00", "residence_country": "FR",
                                    "language_1": "en", "level_1": "B1",
                                    "first_name": "Changed", "nationality": "FR"})

    volunteer.refresh_from_db()
    assert (volunteer.phone, str(volunteer.residence_country)) == ("+228 90 00 00 00", "FR")
    assert volunteer.languages == [{"code": "en", "level": "B1"}]
    assert (volunteer.first_name, str(volunteer.nationality)) == ("Kofi", "TG")


def test_the_profile_withdraws_and_gives_consents(client):
    volunteer = sign_up(consents=["applications"])
    client.force_login(volunteer.user)
    consent = Consent.objects.get(user=volunteer.user, purpose="applications")

    client.post(f"/volunteers/me/consents/{consent.pk}/withdraw/")
    client.post("/volunteers/me/consents/news/give/")

    consent.refresh_from_db()
    assert consent.withdrawn_at is not None
    assert Consent.objects.filter(user=volunteer.user, purpose="news",
                                  withdrawn_at__isnull=True).exists()
    body = client.get("/volunteers/me/").content.decode()
    assert 'data-purpose="news"' in body


def test_nobody_withdraws_another_persons_consent(client):
    volunteer = sign_up()
    other = sign_up(email="awa@example.org")
    consent = Consent.objects.get(user=volunteer.user, purpose="statistics")
    client.force_login(other.user)

    assert client.post(f"/volunteers/me/consents/{consent.pk}/withdraw/").status_code == 404
    consent.refresh_from_db()
    assert consent.withdrawn_at is None


def test_the_catalogue_sends_an_anonymous_visitor_to_the_sign_up(client):
    mission = MissionFactory()

    body = client.get(f"/missions/{mission.pk}/").content.decode()

    assert f'/volunteers/sign-up/?next=/applications/new/%3Fmission%3D{mission.pk}' in body
