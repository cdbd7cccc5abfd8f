"""API tokens: creation and revocation rules, and what a token lets a request do."""

import datetime
import json

import pytest
import time_machine
from django.db import IntegrityError, transaction
from django.utils import timezone

from reciprocity.accounts.models import ApiToken, TokenScope
from reciprocity.accounts.selectors import is_platform_staff, member_organisation_ids
from reciprocity.accounts.services import api_token_create, api_token_revoke
from reciprocity.accounts.tests.factories import (
    MembershipFactory,
    StaffFactory,
    UserFactory,
    api_token_for,
)
from reciprocity.core.exceptions import ApplicationError, NotAllowed
from reciprocity.missions.tests.factories import MissionFactory
from reciprocity.partners.tests.factories import AccreditationFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

# The suite's frozen moment (root conftest), passed in as the edges would.
NOW = datetime.datetime(2026, 11, 26, 9, tzinfo=datetime.UTC)

TODAY = datetime.date(2026, 11, 26)


def create(user, organisation, **kwargs):  # type: ignore[no-untyped-def]
    fields = {"name": "sync", "scope": TokenScope.READ, "expires_on": TODAY + datetime.timedelta(days=90)}
    fields.update(kwargs)
    organisation_id = organisation.pk if organisation is not None else None
    return api_token_create(user=user, organisation_id=organisation_id, today=TODAY, **fields)


# --- services ------------------------------------------------------------------------------------


def test_a_member_creates_a_token_for_their_organisation_and_only_the_hash_is_kept():
    membership = MembershipFactory()
    token, key = create(membership.user, membership.organisation, name="  nightly sync  ")

    assert key.startswith("rcp_") and len(key) > 40
    token.refresh_from_db()
    assert token.key_hash == ApiToken.hash(key) and key not in token.key_hash
    assert token.prefix == key[:8]
    assert token.name == "nightly sync" and token.created_by == membership.user
    assert token.organisation == membership.organisation and token.scope == TokenScope.READ
    # Valid through the expiry day, in the platform's time zone.
    assert timezone.localtime(token.expires_at).date() == TODAY + datetime.timedelta(days=91)
    assert token.is_usable_at(timezone.now())


def test_a_token_is_refused_for_an_organisation_the_user_is_not_a_member_of():
    user = MembershipFactory().user
    with pytest.raises(NotAllowed) as refused:
        create(user, OrganisationFactory())
    assert refused.value.code == "not_a_member"
    assert not ApiToken.objects.filter(user=user).exists()


def test_only_platform_staff_may_create_a_platform_wide_token():
    member = MembershipFactory().user
    with pytest.raises(NotAllowed) as refused:
        create(member, None)
    assert refused.value.code == "organisation_required"

    token, _key = create(StaffFactory(), None, scope=TokenScope.READ_WRITE)
    assert token.organisation is None


@pytest.mark.parametrize("days", [0, -1, 367])
def test_the_expiry_date_is_after_today_and_within_a_year(days):
    membership = MembershipFactory()
    with pytest.raises(ApplicationError) as refused:
        create(membership.user, membership.organisation,
               expires_on=TODAY + datetime.timedelta(days=days))
    assert refused.value.code == "invalid_input"


def test_a_nameless_token_or_an_unknown_scope_is_refused():
    membership = MembershipFactory()
    for kwargs in ({"name": "  "}, {"scope": "admin"}):
        with pytest.raises(ApplicationError):
            create(membership.user, membership.organisation, **kwargs)


def test_the_database_refuses_an_unknown_scope():
    user = UserFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        ApiToken.objects.create(user=user, name="x", key_hash="0" * 64, prefix="x", scope="admin")


def test_the_owner_revokes_a_token_once_and_nobody_else_may():
    membership = MembershipFactory()
    token, _key = create(membership.user, membership.organisation)
    with pytest.raises(NotAllowed):
        api_token_revoke(user=UserFactory(), token=token, now=NOW)

    api_token_revoke(user=membership.user, token=token, now=NOW)
    first = token.revoked_at
    assert first is not None
    api_token_revoke(user=membership.user, token=token, now=NOW + datetime.timedelta(hours=1))
    token.refresh_from_db()
    assert token.revoked_at == first
    assert not token.is_usable_at(timezone.now())


def test_staff_may_revoke_anyones_token():
    membership = MembershipFactory()
    token, _key = create(membership.user, membership.organisation)
    api_token_revoke(user=StaffFactory(), token=token, now=NOW)
    assert token.revoked_at is not None


# --- narrowing: the token's organisation, and staff rights only platform-wide --------------------


def test_a_token_narrows_the_users_organisations_and_staff_rights():
    org_a, org_b = OrganisationFactory(), OrganisationFactory()
    staff = StaffFactory()
    MembershipFactory(user=staff, organisation=org_a)
    MembershipFactory(user=staff, organisation=org_b)
    assert member_organisation_ids(staff) == {org_a.pk, org_b.pk} and is_platform_staff(staff)

    bound, _key = create(staff, org_a)
    platform_wide, _key = create(staff, None)

    staff.api_token = bound
    assert member_organisation_ids(staff) == {org_a.pk}
    assert not is_platform_staff(staff) and not staff.is_platform_staff

    staff.api_token = platform_wide
    assert member_organisation_ids(staff) == set()
    assert is_platform_staff(staff) and staff.is_platform_staff


# --- authentication ------------------------------------------------------------------------------


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def assert_error(response, status: int, code: str) -> dict:  # type: ignore[no-untyped-def]
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"code", "message", "details"} and body["code"] == code
    return body


def test_an_expired_token_gets_401_with_the_json_error_shape(client, _frozen_clock):
    user = MembershipFactory().user
    key = api_token_for(user, expires_at=timezone.now() + datetime.timedelta(hours=1))
    assert client.get("/api/v1/organisations", headers=bearer(key)).status_code == 200

    _frozen_clock.shift(datetime.timedelta(hours=2))
    body = assert_error(client.get("/api/v1/organisations", headers=bearer(key)), 401,
                        "unauthenticated")
    assert body["details"] == {"reason": "token_expired"}
    # Even on public data: a client presenting a dead token learns it at once.
    assert_error(client.get("/api/v1/missions", headers=bearer(key)), 401, "unauthenticated")


def test_a_revoked_token_gets_401(client):
    user = MembershipFactory().user
    key = api_token_for(user)
    token = ApiToken.objects.get(key_hash=ApiToken.hash(key))
    api_token_revoke(user=user, token=token, now=NOW)
    body = assert_error(client.get("/api/v1/organisations", headers=bearer(key)), 401,
                        "unauthenticated")
    assert body["details"] == {"reason": "token_revoked"}


def test_a_token_of_a_deactivated_user_gets_401(client):
    user = MembershipFactory().user
    key = api_token_for(user)
    user.is_active = False
    user.save()
    assert_error(client.get("/api/v1/organisations", headers=bearer(key)), 401, "unauthenticated")


def test_a_read_token_reads_but_every_write_gets_403(client):
    host = OrganisationFactory()
    AccreditationFactory(organisation=host)
    mission = MissionFactory(host=host)
    officer = MembershipFactory(organisation=host).user
    key = api_token_for(officer, scope=TokenScope.READ)

    assert client.get(f"/api/v1/missions/{mission.pk}", headers=bearer(key)).status_code == 200
    assert client.get("/api/v1/missions/mine", headers=bearer(key)).status_code == 200
    for method, path in [
        ("post", f"/api/v1/missions/{mission.pk}/close"),
        ("patch", f"/api/v1/missions/{mission.pk}"),
        ("post", "/api/v1/notifications/read-all"),
    ]:
        response = getattr(client, method)(path, json.dumps({"city": "Lyon"}),
                                           content_type="application/json", headers=bearer(key))
        body = assert_error(response, 403, "forbidden")
        assert body["details"] == {"reason": "token_read_only"}
    mission.refresh_from_db()
    assert mission.status == "published"

    write_key = api_token_for(officer, scope=TokenScope.READ_WRITE)
    response = client.post(f"/api/v1/missions/{mission.pk}/close", headers=bearer(write_key))
    assert response.status_code == 200 and response.json()["status"] == "closed"


def test_a_used_token_records_when(client):
    user = MembershipFactory().user
    key = api_token_for(user)
    with time_machine.travel(datetime.datetime(2026, 12, 1, 8, 0, tzinfo=datetime.UTC), tick=False):
        client.get("/api/v1/organisations", headers=bearer(key))
    token = ApiToken.objects.get(key_hash=ApiToken.hash(key))
    assert token.last_used_at == datetime.datetime(2026, 12, 1, 8, 0, tzinfo=datetime.UTC)


def test_a_member_token_acts_only_within_its_organisation(client):
    org_a, org_b = OrganisationFactory(), OrganisationFactory()
    AccreditationFactory(organisation=org_b)
    draft_b = MissionFactory(host=org_b, status="draft")
    user = MembershipFactory(organisation=org_a).user
    MembershipFactory(user=user, organisation=org_b)
    key_a = api_token_for(user, organisation=org_a)
    key_b = api_token_for(user, organisation=org_b)

    assert client.get(f"/api/v1/missions/{draft_b.pk}", headers=bearer(key_a)).status_code == 404
    assert client.get(f"/api/v1/missions/{draft_b.pk}", headers=bearer(key_b)).status_code == 200
    # The browser session of the same user still acts for both organisations.
    client.force_login(user)
    assert client.get(f"/api/v1/missions/{draft_b.pk}").status_code == 200
