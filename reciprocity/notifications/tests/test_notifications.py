"""Notifications: a row per user at once, the e-mail only after commit, each user sees their own."""

import pytest
from django.core import mail
from django.db import transaction

from reciprocity.accounts.models import MembershipRole
from reciprocity.accounts.tests.factories import MembershipFactory, UserFactory, api_token_for
from reciprocity.notifications.models import Notification
from reciprocity.notifications.selectors import organisation_officers
from reciprocity.notifications.services import notify

pytestmark = pytest.mark.django_db


def bearer(user) -> dict:
    key = api_token_for(user)
    return {"Authorization": f"Bearer {key}"}


def test_email_leaves_only_when_the_transaction_commits(django_capture_on_commit_callbacks):
    alice, bob = UserFactory(), UserFactory(email="")

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        rows = notify(users=[alice, bob, alice], subject="Accepted", body="Welcome", link="/x/")
        assert mail.outbox == []

    assert len(rows) == 2  # duplicates collapse
    assert len(callbacks) == 1
    assert [m.to for m in mail.outbox] == [[alice.email]]  # bob has no address: in-app only
    assert mail.outbox[0].subject == "Accepted" and "/x/" in mail.outbox[0].body
    assert Notification.objects.filter(user=bob, subject="Accepted").exists()


def test_no_email_when_the_transaction_rolls_back(django_capture_on_commit_callbacks):
    user = UserFactory()

    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                notify(users=[user], subject="Never", body="")
                raise RuntimeError("rollback")
        except RuntimeError:
            pass

    assert mail.outbox == []
    assert not Notification.objects.filter(user=user).exists()


def test_officers_are_admins_and_officers_not_viewers():
    officer = MembershipFactory(role=MembershipRole.OFFICER)
    MembershipFactory(organisation=officer.organisation, role=MembershipRole.VIEWER)
    admin = MembershipFactory(organisation=officer.organisation, role=MembershipRole.ADMIN)

    users = organisation_officers([officer.organisation_id, None])

    assert {u.pk for u in users} == {officer.user_id, admin.user_id}


def test_page_lists_only_own_notifications_and_marks_read(client):
    me, other = UserFactory(), UserFactory()
    mine = notify(users=[me], subject="For me")[0]
    notify(users=[other], subject="Not for me")
    client.force_login(me)

    page = client.get("/notifications/").content.decode()
    assert "For me" in page and "Not for me" not in page

    client.post(f"/notifications/{mine.pk}/read/")
    mine.refresh_from_db()
    assert mine.read_at is not None


def test_cannot_mark_someone_elses_notification(client):
    me, other = UserFactory(), UserFactory()
    theirs = notify(users=[other], subject="Theirs")[0]
    client.force_login(me)

    client.post(f"/notifications/{theirs.pk}/read/")
    api = client.post(f"/api/v1/notifications/{theirs.pk}/read", headers=bearer(me))

    theirs.refresh_from_db()
    assert theirs.read_at is None
    assert api.status_code == 404 and set(api.json()) == {"code", "message", "details"}


def test_api_lists_and_marks(client):
    me = UserFactory()
    notify(users=[me], subject="One", verb="test.one")
    notify(users=[me], subject="Two")
    headers = bearer(me)

    body = client.get("/api/v1/notifications?unread=true", headers=headers).json()
    assert body["count"] == 2 and {n["subject"] for n in body["items"]} == {"One", "Two"}
    marked = client.post("/api/v1/notifications/read-all", headers=headers).json()
    assert marked == {"marked": 2}
    assert client.get("/api/v1/notifications?unread=true", headers=headers).json()["count"] == 0
    assert client.get("/api/v1/notifications").status_code == 401


@pytest.mark.parametrize("path", ["abc", "0", "-1", "99999999999999999999999"])
def test_api_rejects_malformed_ids_with_the_error_shape(client, path):
    response = client.post(f"/api/v1/notifications/{path}/read", headers=bearer(UserFactory()))
    assert 400 <= response.status_code < 500
    assert set(response.json()) == {"code", "message", "details"}
