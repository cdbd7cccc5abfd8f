"""The workflow API: the same rules as the pages, one error shape, no server error on bad input."""

import json

import pytest
from django.utils import timezone

from reciprocity.accounts.tests.factories import StaffFactory, UserFactory, api_token_for
from reciprocity.missions.models import MissionStatus
from reciprocity.missions.tests.factories import MissionFactory
from reciprocity.placements import services as placement_services
from reciprocity.placements.models import Placement
from reciprocity.workflow import applying
from reciprocity.workflow import services as workflow

pytestmark = pytest.mark.django_db
SHAPE = {"code", "message", "details"}


def bearer(user) -> dict:
    key = api_token_for(user)
    return {"Authorization": f"Bearer {key}"}


def post(client, url, user, body=None):
    return client.post(url, json.dumps(body or {}), content_type="application/json", headers=bearer(user))


def test_apply_decide_confirm_through_the_api(client, network):
    created = post(client, "/api/v1/applications", network.volunteer_user, {
        "volunteer_id": network.volunteer.pk,
        "mission_ids": [network.missions[0].pk, network.other_mission.pk], "motivation": "Keen",
    })
    assert created.status_code == 201, created.json()
    body = created.json()
    assert [c["rank"] for c in body["choices"]] == [1, 2]
    assert body["choices"][0]["eligibility"]["checked"] is True

    seen_by_host = client.get(f"/api/v1/applications/{body['id']}", headers=bearer(network.host_officer)).json()
    assert [c["mission_id"] for c in seen_by_host["choices"]] == [network.missions[0].pk]
    choice_id = seen_by_host["choices"][0]["id"]

    other = post(client, f"/api/v1/applications/choices/{choice_id}/accept", network.other_host_officer)
    assert other.status_code == 404 and set(other.json()) == SHAPE  # not a choice they can see

    accepted = post(client, f"/api/v1/applications/choices/{choice_id}/accept", network.host_officer)
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"

    placement = Placement.objects.get(application_id=body["id"])
    # The volunteer accepts the place offered (issue 12: offers) before the confirmation.
    answered = post(client, f"/api/v1/offers/{placement.offer.pk}/accept", network.volunteer_user)
    assert answered.status_code == 200, answered.json()
    confirmed = post(client, f"/api/v1/placements/{placement.pk}/confirm", network.sender_officer)
    assert confirmed.status_code == 200, confirmed.json()
    assert confirmed.json()["status"] == "confirmed"
    assert [h["to_status"] for h in confirmed.json()["history"]] == ["proposed", "confirmed"]

    again = post(client, f"/api/v1/placements/{placement.pk}/confirm", network.sender_officer)
    assert again.status_code == 409 and again.json()["code"] == "invalid_transition"


def test_refusals_have_the_one_error_shape(client, network):
    draft = MissionFactory(status=MissionStatus.DRAFT, host=network.host)
    # a draft is visible to its host's officer, but cannot be chosen
    refused = post(client, "/api/v1/applications", network.host_officer, {
        "volunteer_id": network.volunteer.pk, "mission_ids": [draft.pk],
    })
    assert refused.status_code in (403, 404) and set(refused.json()) == SHAPE

    staff = StaffFactory()
    closed = post(client, "/api/v1/applications", staff, {
        "volunteer_id": network.volunteer.pk, "mission_ids": [draft.pk],
    })
    assert closed.status_code == 400 and closed.json()["code"] == "mission_not_open"

    forbidden = post(client, "/api/v1/applications", network.sender_viewer, {
        "volunteer_id": network.volunteer.pk, "mission_ids": [network.missions[0].pk],
    })
    assert forbidden.status_code == 403 and forbidden.json()["code"] == "forbidden"


def test_full_mission_is_a_409_with_details(client, network):
    mission = MissionFactory(host=network.host, capacity=0)
    placement = placement_services.placement_propose(volunteer=network.volunteer, mission=mission)
    response = post(client, f"/api/v1/placements/{placement.pk}/confirm", network.host_officer)
    assert response.status_code == 409
    assert response.json()["code"] == "mission_full" and response.json()["details"]["capacity"] == 0


def test_lists_are_scoped(client, network):
    applying.application_submit(now=timezone.now(), actor=network.volunteer_user, volunteer=network.volunteer,
                                missions=[network.missions[0]])
    assert client.get("/api/v1/applications", headers=bearer(network.host_officer)).json()["count"] == 1
    assert client.get("/api/v1/applications", headers=bearer(UserFactory())).json()["count"] == 0
    assert client.get("/api/v1/applications").status_code == 401
    assert client.get("/api/v1/applications/overdue", headers=bearer(network.host_officer)).json() == []


def test_placement_document_through_the_api(client, network):
    placement = workflow.placement_confirm(today=timezone.localdate(), now=timezone.now(),
        placement=placement_services.placement_propose(volunteer=network.volunteer, mission=network.missions[0]),
        actor=network.host_officer,
    )
    ok = client.get(f"/api/v1/placements/{placement.pk}/documents/invitation?lang=en",
                    headers=bearer(network.volunteer_user))
    assert ok.status_code == 200 and ok.content.startswith(b"%PDF")
    bad = client.get(f"/api/v1/placements/{placement.pk}/documents/payslip",
                     headers=bearer(network.volunteer_user))
    assert bad.status_code == 422 and set(bad.json()) == SHAPE
    not_yet = client.get(f"/api/v1/placements/{placement.pk}/documents/certificate",
                         headers=bearer(network.volunteer_user))
    assert not_yet.status_code == 400 and not_yet.json()["code"] == "document_not_available"


def test_openapi_documents_every_workflow_error(client):
    schema = client.get("/api/v1/openapi.json").json()
    paths = {p: v for p, v in schema["paths"].items()
             if p.startswith(("/api/v1/applications", "/api/v1/placements", "/api/v1/notifications"))}
    assert len(paths) >= 15
    for path, operations in paths.items():
        for method, operation in operations.items():
            codes = set(operation["responses"])
            assert "401" in codes, (method, path)
            if method in {"post", "put"}:
                assert {"400", "403", "404", "409", "422"} <= codes or path.endswith("read-all") or path.endswith("/read"), (method, path)
