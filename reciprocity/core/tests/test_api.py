"""The read API: same visibility as the pages, one error shape, offline docs."""

import pytest

from reciprocity.accounts.tests.factories import MembershipFactory, UserFactory, api_token_for
from reciprocity.missions.models import MissionStatus
from reciprocity.missions.tests.factories import MissionFactory
from reciprocity.partners.tests.factories import AccreditationFactory

pytestmark = pytest.mark.django_db


def bearer(user) -> dict:
    key = api_token_for(user)
    return {"Authorization": f"Bearer {key}"}


def test_missions_are_public_but_drafts_are_not(client):
    published = MissionFactory(title="Open")
    draft = MissionFactory(status=MissionStatus.DRAFT, title="Hidden")
    body = client.get("/api/v1/missions").json()
    titles = {m["title"] for m in body["items"]}
    assert "Open" in titles and "Hidden" not in titles
    one = client.get(f"/api/v1/missions/{published.pk}").json()
    assert one["country"] == "FR" and one["places_left"] == published.capacity
    missing = client.get(f"/api/v1/missions/{draft.pk}")
    assert missing.status_code == 404
    assert set(missing.json()) == {"code", "message", "details"}


def test_host_sees_its_draft_through_a_token(client):
    draft = MissionFactory(status=MissionStatus.DRAFT)
    member = MembershipFactory(organisation=draft.host).user
    assert client.get(f"/api/v1/missions/{draft.pk}", headers=bearer(member)).status_code == 200


def test_organisations_need_authentication(client):
    response = client.get("/api/v1/organisations")
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"
    bad = client.get("/api/v1/organisations", headers={"Authorization": "Bearer nope"})
    assert bad.status_code == 401


def test_organisation_detail_with_accreditations(client):
    accreditation = AccreditationFactory()
    response = client.get(
        f"/api/v1/organisations/{accreditation.organisation_id}", headers=bearer(UserFactory())
    )
    assert response.status_code == 200
    body = response.json()
    assert body["accreditations"][0]["number"] == accreditation.number
    assert "host" in body["kinds"]


@pytest.mark.parametrize("url", [
    "/api/v1/missions/not-a-number", "/api/v1/missions?limit=-5", "/api/v1/missions?offset=abc",
    "/api/v1/missions/99999999999999999999999",
])
def test_malformed_input_never_causes_a_server_error(client, url):
    response = client.get(url)
    assert 400 <= response.status_code < 500, (url, response.status_code)
    assert set(response.json()) == {"code", "message", "details"}


def test_openapi_schema_and_offline_docs(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["openapi"].startswith("3.1")
    assert "/api/v1/missions" in schema["paths"]
    docs = client.get("/api/v1/docs").content.decode()
    assert "cdn." not in docs and "unpkg" not in docs
