"""Invitations and membership management: services (last-administrator guard, expired, used and
revoked links) and pages (members page, permissions, the link)."""

import datetime
import re

import pytest
from django.core import mail
from django.utils import timezone, translation

from reciprocity.accounts import invitations
from reciprocity.accounts.models import Invitation, Membership, MembershipRole, User
from reciprocity.accounts.tests.factories import MembershipFactory, StaffFactory, UserFactory
from reciprocity.core.exceptions import ApplicationError, NotAllowed
from reciprocity.partners import membership as services
from reciprocity.partners.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

BASE = "http://testserver/"
PASSWORD = "a-long-Passphrase-42"


@pytest.fixture
def org():
    return OrganisationFactory(name="France Volontaires")


@pytest.fixture
def admin(org):
    return MembershipFactory(organisation=org, role=MembershipRole.ADMIN,
                             user=UserFactory(username="anne")).user


def invite(org, admin, email="new@example.org", role=MembershipRole.VIEWER, now=None):
    return services.invitation_create(organisation=org, email=email, role=role, invited_by=admin,
                                      now=now or timezone.now(), base_url=BASE)


def token_from_outbox() -> str:
    return re.search(r"/accounts/invitations/([^/\s]+)/", mail.outbox[-1].body).group(1)


# --- services ---------------------------------------------------------------------------


def test_invitation_stores_only_the_token_hash_and_mails_the_link(org, admin,
                                                                  django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = invite(org, admin, email=" New@Example.org ")
    token = token_from_outbox()
    assert invitation.email == "new@example.org"
    assert invitation.token_hash == Invitation.hash(token) and token not in invitation.token_hash
    assert invitation.expires_at - invitation.created_at == datetime.timedelta(days=7)
    assert mail.outbox[-1].to == ["new@example.org"]


def test_the_invitation_is_written_in_the_site_language_not_the_senders_page_language(
        org, admin, settings, django_capture_on_commit_callbacks):
    settings.LANGUAGE_CODE = "es"
    with translation.override("fr"), django_capture_on_commit_callbacks(execute=True):
        invite(org, admin)

    [message] = mail.outbox
    assert message.subject == "Le invitan a unirse a France Volontaires en Reciprocity"


def test_the_invitation_is_written_in_the_language_the_invitee_chose(
        org, admin, django_capture_on_commit_callbacks):
    UserFactory(username="kofi", email="kofi@example.org", preferred_language="fr")
    with translation.override("es"), django_capture_on_commit_callbacks(execute=True):
        invite(org, admin, email="Kofi@example.org")

    [message] = mail.outbox
    assert message.subject == "Vous êtes invité(e) à rejoindre France Volontaires sur Reciprocity"


def test_only_administrators_and_staff_invite(org, admin):
    officer = MembershipFactory(organisation=org, role=MembershipRole.OFFICER).user
    with pytest.raises(NotAllowed):
        invite(org, officer)
    invite(org, StaffFactory(), email="by-staff@example.org")


def test_one_pending_invitation_per_address_and_no_invitation_for_a_member(org, admin):
    invite(org, admin)
    with pytest.raises(ApplicationError) as exc:
        invite(org, admin)
    assert exc.value.code == "already_invited"
    with pytest.raises(ApplicationError) as exc:
        invite(org, admin, email=admin.email.upper())
    assert exc.value.code == "already_member"


def test_the_database_refuses_a_second_pending_invitation(org, admin):
    from django.db import IntegrityError

    now = timezone.now()
    fields = {"organisation": org, "email": "x@example.org", "role": "viewer", "created_at": now,
              "expires_at": now + datetime.timedelta(days=7)}
    Invitation.objects.create(token_hash="a" * 64, **fields)
    with pytest.raises(IntegrityError):
        Invitation.objects.create(token_hash="b" * 64, **fields)


def test_an_expired_invitation_is_refused_and_the_address_can_be_invited_again(
        org, admin, django_capture_on_commit_callbacks):
    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        old = invite(org, admin, now=now)
    token = token_from_outbox()
    later = now + datetime.timedelta(days=7, seconds=1)
    with pytest.raises(invitations.InvitationUnusable) as exc:
        invitations.invitation_accept_new_account(token=token, password=PASSWORD, first_name="N",
                                               last_name="E", now=later)
    assert exc.value.code == "invitation_expired"
    assert not User.objects.filter(email="new@example.org").exists()
    invite(org, admin, now=later)
    old.refresh_from_db()
    assert old.revoked_at == later


def test_new_account_gets_the_membership_and_the_link_works_once(
        org, admin, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = invite(org, admin, role=MembershipRole.OFFICER)
    token = token_from_outbox()
    user = invitations.invitation_accept_new_account(token=token, password=PASSWORD,
                                                  first_name="Nadia", last_name="E",
                                                  now=timezone.now())
    assert user.check_password(PASSWORD) and user.username == "new@example.org"
    assert Membership.objects.get(user=user).role == MembershipRole.OFFICER
    invitation.refresh_from_db()
    assert invitation.accepted_by == user and invitation.accepted_at is not None
    with pytest.raises(invitations.InvitationUnusable) as exc:
        invitations.invitation_for_token(token=token, now=timezone.now())
    assert exc.value.code == "invitation_used"


def test_weak_password_refused(org, admin, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invite(org, admin)
    with pytest.raises(ApplicationError) as exc:
        invitations.invitation_accept_new_account(token=token_from_outbox(), password="123",
                                               first_name="N", last_name="E", now=timezone.now())
    assert exc.value.code == "invalid_input"
    assert not User.objects.filter(email="new@example.org").exists()


def test_existing_account_accepts_only_with_the_invited_address(
        org, admin, django_capture_on_commit_callbacks):
    someone = UserFactory(username="someone", email="someone@example.org")
    other = UserFactory(username="other")
    with django_capture_on_commit_callbacks(execute=True):
        invite(org, admin, email="SOMEONE@example.org")
    token = token_from_outbox()
    with pytest.raises(NotAllowed):
        invitations.invitation_accept(token=token, user=other, now=timezone.now())
    membership = invitations.invitation_accept(token=token, user=someone, now=timezone.now())
    assert membership.role == MembershipRole.VIEWER and membership.organisation == org


def test_revoked_invitation_refused(org, admin, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = invite(org, admin)
    services.invitation_revoke(invitation=invitation, by=admin, now=timezone.now())
    with pytest.raises(invitations.InvitationUnusable) as exc:
        invitations.invitation_for_token(token=token_from_outbox(), now=timezone.now())
    assert exc.value.code == "invitation_revoked"


def test_the_last_administrator_is_never_demoted_nor_removed(org, admin):
    own = Membership.objects.get(user=admin)
    with pytest.raises(ApplicationError) as exc:
        services.membership_change_role(membership=own, role=MembershipRole.VIEWER, by=admin)
    assert exc.value.code == "last_administrator"
    with pytest.raises(ApplicationError) as exc:
        services.membership_remove(membership=own, by=StaffFactory())
    assert exc.value.code == "last_administrator"
    second = MembershipFactory(organisation=org, role=MembershipRole.OFFICER)
    services.membership_change_role(membership=second, role=MembershipRole.ADMIN, by=admin)
    services.membership_change_role(membership=own, role=MembershipRole.VIEWER, by=admin)
    own.refresh_from_db()
    assert own.role == MembershipRole.VIEWER
    # `admin` is a viewer now: no longer allowed to manage.
    with pytest.raises(NotAllowed):
        services.membership_remove(membership=second, by=admin)


def test_officers_cannot_change_roles(org, admin):
    officer = MembershipFactory(organisation=org, role=MembershipRole.OFFICER)
    with pytest.raises(NotAllowed):
        services.membership_change_role(membership=officer, role=MembershipRole.ADMIN,
                                        by=officer.user)


def test_changes_are_in_the_audit_log_without_the_token(client, org, admin,
                                                        django_capture_on_commit_callbacks):
    import json

    from django.contrib.contenttypes.models import ContentType

    from reciprocity.audit.models import AuditEntry

    client.force_login(admin)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/organisations/{org.pk}/members/", {"email": "v@example.org",
                                                           "role": "officer"})
    token = token_from_outbox()
    invitation = Invitation.objects.get(email="v@example.org")
    second = MembershipFactory(organisation=org, role=MembershipRole.VIEWER)
    client.post(f"/organisations/{org.pk}/members/{second.pk}/role/", {"role": "officer"})
    client.post(f"/organisations/{org.pk}/members/{second.pk}/remove/")

    def entries(obj):  # type: ignore[no-untyped-def]
        return AuditEntry.objects.filter(content_type=ContentType.objects.get_for_model(obj),
                                         object_id=obj.pk).order_by("pk")

    [created] = entries(invitation)
    assert created.actor == admin
    assert created.changes["role"][1] == "officer"
    assert "token_hash" not in created.changes
    assert [e.action for e in entries(second)] == [0, 1, 2]  # created, role changed, removed
    logged = json.dumps(list(AuditEntry.objects.values_list("changes", "object_repr")))
    assert invitation.token_hash not in logged and token not in logged
    assert "v@example.org" not in logged


# --- pages ------------------------------------------------------------------------------


def test_members_page_admin_invites(client, org, admin, django_capture_on_commit_callbacks):
    client.force_login(admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/organisations/{org.pk}/members/",
                               {"email": "v@example.org", "role": "viewer"})
    assert response.status_code == 302
    assert Invitation.objects.filter(organisation=org, email="v@example.org").exists()
    page = client.get(f"/organisations/{org.pk}/members/").content.decode()
    assert "v@example.org" in page and 'id="invite-form"' in page


def test_members_page_read_only_for_viewers_and_refused_to_outsiders(client, org, admin):
    viewer = MembershipFactory(organisation=org, role=MembershipRole.VIEWER).user
    client.force_login(viewer)
    response = client.get(f"/organisations/{org.pk}/members/")
    assert response.status_code == 200
    assert 'id="read-only"' in response.content.decode()
    assert 'id="invite-form"' not in response.content.decode()
    assert client.post(f"/organisations/{org.pk}/members/",
                       {"email": "v@example.org", "role": "admin"}).status_code == 403
    own = Membership.objects.get(user=admin)
    assert client.post(f"/organisations/{org.pk}/members/{own.pk}/remove/").status_code == 403
    outsider = MembershipFactory(role=MembershipRole.ADMIN).user
    client.force_login(outsider)
    assert client.get(f"/organisations/{org.pk}/members/").status_code == 403
    assert client.post(f"/organisations/{org.pk}/members/{own.pk}/role/",
                       {"role": "viewer"}).status_code == 403


def test_last_admin_refusal_is_shown(client, org, admin):
    client.force_login(admin)
    own = Membership.objects.get(user=admin)
    response = client.post(f"/organisations/{org.pk}/members/{own.pk}/role/",
                           {"role": "viewer"}, follow=True)
    assert "must keep at least one administrator" in response.content.decode()
    own.refresh_from_db()
    assert own.role == MembershipRole.ADMIN


def test_link_pages(client, org, admin, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invite(org, admin)
    token = token_from_outbox()
    assert client.get("/accounts/invitations/nonsense/").status_code == 404
    response = client.get(f"/accounts/invitations/{token}/")
    assert 'id="invitation-new-account"' in response.content.decode()
    response = client.post(f"/accounts/invitations/{token}/", {
        "first_name": "Nadia", "last_name": "E", "password1": PASSWORD, "password2": PASSWORD})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    response = client.get(f"/accounts/invitations/{token}/")
    assert response.status_code == 410
    assert 'data-code="invitation_used"' in response.content.decode()


def test_expired_link_page(client, org, admin, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invite(org, admin, now=timezone.now() - datetime.timedelta(days=8))
    response = client.get(f"/accounts/invitations/{token_from_outbox()}/")
    assert response.status_code == 410
    assert "expired" in response.content.decode()


def test_existing_account_signs_in_then_accepts(client, org, admin,
                                                django_capture_on_commit_callbacks):
    someone = UserFactory(username="someone", email="someone@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        invite(org, admin, email="someone@example.org", role=MembershipRole.OFFICER)
    token = token_from_outbox()
    response = client.get(f"/accounts/invitations/{token}/")
    assert 'id="sign-in-to-accept"' in response.content.decode()
    client.force_login(UserFactory(username="wrong"))
    assert 'id="wrong-account"' in client.get(f"/accounts/invitations/{token}/").content.decode()
    client.force_login(someone)
    response = client.post(f"/accounts/invitations/{token}/")
    assert response.status_code == 302
    assert Membership.objects.get(user=someone).role == MembershipRole.OFFICER
