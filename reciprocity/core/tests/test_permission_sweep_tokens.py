# ruff: noqa: F811 (the `world` fixture is imported from the route sweep and requested by name)
"""Every API route, tried with API tokens of each scope and organisation.

A token acts only within its organisation and its scope: a read token of organisation A reads
within A and gets 403 on every write; a read-write token of A never reads organisation B's
volunteers, applications or placements, even when its user is also a member of B; a staff user's
token bound to an organisation acts as a member of it only; expired and revoked tokens get 401.
The routes come from the URL configuration (see test_permission_sweep), so new ones are swept too.
"""

import datetime
import json

import pytest
from django.utils import timezone

from reciprocity.accounts.models import ApiToken, MembershipRole, TokenScope
from reciprocity.accounts.tests.factories import (
    MembershipFactory,
    StaffFactory,
    UserFactory,
    api_token_for,
)
from reciprocity.core.tests.test_permission_sweep import path_for, routes, world  # noqa: F401
from reciprocity.missions.tests.factories import MissionFactory
from reciprocity.partners.models import Organisation
from reciprocity.partners.tests.factories import AccreditationFactory, OrganisationFactory
from reciprocity.placements.tests.factories import PlacementFactory

pytestmark = pytest.mark.django_db

WRITES = ("post", "patch", "put", "delete")


# The schema and its docs page are views, not operations: they authenticate nobody.
SCHEMA = {"api/v1/", "api/v1/openapi.json", "api/v1/docs"}

# The user's own things, which any read-write token may change.
OWN = {"api/v1/notifications/read-all"}


def api_routes() -> list[str]:
    return [r for r in routes() if r.startswith("api/") and r not in SCHEMA]


def call(client, method: str, path: str, key: str):  # type: ignore[no-untyped-def]
    headers = {"Authorization": f"Bearer {key}"}
    if method in WRITES:
        return getattr(client, method)(path, json.dumps({}), content_type="application/json",
                                       headers=headers)
    return getattr(client, method)(path, headers=headers)


def host_of(world: dict) -> Organisation:
    return Organisation.objects.get(pk=world["organisation_id"])


def assert_hides(response, volunteer, method: str, path: str) -> None:  # type: ignore[no-untyped-def]
    assert response.status_code < 500, (method, path, response.status_code)
    body = response.content.decode(errors="replace")
    assert volunteer.reference not in body, (method, path)
    assert volunteer.last_name not in body or volunteer.first_name not in body, (method, path)


def test_a_token_of_a_never_reads_bs_people_even_for_a_member_of_both(client, world):
    volunteer = world["volunteer"]
    org_a = OrganisationFactory(name="Elsewhere")
    user = MembershipFactory(organisation=org_a, role=MembershipRole.ADMIN).user
    MembershipFactory(user=user, organisation=host_of(world), role=MembershipRole.ADMIN)
    placement_path = f"/api/v1/placements/{world['placement_id']}"

    # Control: a token of the host organisation does read the placement and its volunteer.
    key_b = api_token_for(user, organisation=host_of(world), scope=TokenScope.READ)
    seen = call(client, "get", placement_path, key_b)
    assert seen.status_code == 200 and volunteer.last_name in seen.content.decode()

    key_a = api_token_for(user, organisation=org_a, scope=TokenScope.READ_WRITE)
    for route in api_routes():
        path = path_for(route, world)
        for method in ("get", *WRITES):
            response = call(client, method, path, key_a)
            assert_hides(response, volunteer, method, path)
            if method in WRITES and route not in OWN:
                assert response.status_code in {400, 403, 404, 405, 409, 422}, (
                    method, path, response.status_code)


def test_a_read_token_of_a_reads_within_a_and_every_write_gets_403(client, world):
    org_a = OrganisationFactory(name="Elsewhere")
    AccreditationFactory(organisation=org_a)
    own = PlacementFactory(mission=MissionFactory(host=org_a))
    user = MembershipFactory(organisation=org_a, role=MembershipRole.ADMIN).user
    key = api_token_for(user, organisation=org_a, scope=TokenScope.READ)

    response = call(client, "get", f"/api/v1/placements/{own.pk}", key)
    assert response.status_code == 200 and own.volunteer.last_name in response.content.decode()
    assert call(client, "get", f"/api/v1/missions/{own.mission_id}", key).status_code == 200
    assert call(client, "get", "/api/v1/placements", key).json()["count"] == 1

    for route in api_routes():
        path = path_for(route, world)
        for method in ("get", "head", "options"):
            response = call(client, method, path, key)
            assert_hides(response, world["volunteer"], method, path)
            assert response.status_code != 401, (method, path)
            if response.status_code == 403:
                assert response.json()["details"] != {"reason": "token_read_only"}, (method, path)
        for method in WRITES:
            response = call(client, method, path, key)
            if response.status_code == 405:  # no such operation on this path
                continue
            assert response.status_code == 403, (method, path, response.status_code)
            body = response.json()
            assert body["code"] == "forbidden" and body["details"] == {"reason": "token_read_only"}


@pytest.mark.parametrize("dead", ["expired", "revoked"])
def test_expired_and_revoked_tokens_get_401_everywhere(client, world, dead):
    staff = StaffFactory()
    key = api_token_for(staff)
    now = timezone.now()
    ApiToken.objects.filter(key_hash=ApiToken.hash(key)).update(
        **{"created_at": now - datetime.timedelta(days=91), "expires_at": now}
        if dead == "expired" else {"revoked_at": now}
    )
    for route in api_routes():
        path = path_for(route, world)
        for method in ("get", *WRITES):
            response = call(client, method, path, key)
            if response.status_code == 405:
                continue
            assert response.status_code == 401, (method, path, response.status_code)
            assert response.json()["code"] == "unauthenticated"


def test_a_staff_token_bound_to_an_organisation_acts_as_its_member_only(client, world):
    staff = StaffFactory()
    org_a = OrganisationFactory(name="Elsewhere")
    MembershipFactory(user=staff, organisation=org_a, role=MembershipRole.ADMIN)
    placement_path = f"/api/v1/placements/{world['placement_id']}"

    platform_wide = api_token_for(staff, organisation=None, scope=TokenScope.READ)
    assert call(client, "get", placement_path, platform_wide).status_code == 200

    bound = api_token_for(staff, organisation=org_a, scope=TokenScope.READ_WRITE)
    for route in api_routes():
        path = path_for(route, world)
        for method in ("get", *WRITES):
            assert_hides(call(client, method, path, bound), world["volunteer"], method, path)
    assert call(client, "get", placement_path, bound).status_code == 404


def test_a_non_staff_token_without_organisation_acts_for_no_organisation(client, world):
    """Such rows can only come from outside the service (the shell, an old row): they get the
    rights of a user without organisation, never all of the user's memberships."""
    user = UserFactory()
    MembershipFactory(user=user, organisation=host_of(world), role=MembershipRole.ADMIN)
    key = api_token_for(user, organisation=None)
    placement_path = f"/api/v1/placements/{world['placement_id']}"
    assert call(client, "get", placement_path, key).status_code == 404
