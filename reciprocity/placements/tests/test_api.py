"""The placement API: lifecycle, evaluations and follow-up with the same permissions as pages."""

import json

import pytest
from django.utils import timezone

from reciprocity.accounts.tests.factories import UserFactory, api_token_for
from reciprocity.placements import services
from reciprocity.workflow import applying

pytestmark = pytest.mark.django_db


def bearer(user) -> dict:
    key = api_token_for(user)
    return {"Authorization": f"Bearer {key}"}


def post(client, url, user, body=None, method="post"):
    return getattr(client, method)(url, json.dumps(body or {}), content_type="application/json",
                                   headers=bearer(user))


def test_lifecycle_through_the_api(client, network):
    placement = services.placement_propose(volunteer=network.volunteer, mission=network.missions[0])
    base = f"/api/v1/placements/{placement.pk}"
    officer = network.host_officer

    assert post(client, f"{base}/confirm", officer).json()["allowed_transitions"] == ["cancelled", "in_mission"]
    assert post(client, f"{base}/start", officer, {"on": "2027-03-02"}).json()["status"] == "in_mission"
    evaluation = post(client, f"{base}/evaluations", network.volunteer_user, {
        "stage": "midterm", "author_role": "volunteer", "mission_rating": 4,
        "integration_rating": 4, "support_rating": 5})
    assert evaluation.status_code == 201
    interrupted = post(client, f"{base}/interrupt", officer, {
        "on": "2027-05-01", "reason": "Family emergency", "termination_reason": "force_majeure"})
    assert interrupted.json()["status"] == "interrupted" and interrupted.json()["ended_on"] == "2027-05-01"
    early = post(client, f"{base}/follow-up", network.sender_officer, {"situation": "work"}, method="put")
    assert early.status_code == 409 and early.json()["code"] == "follow_up_not_due"
    listed = client.get(f"{base}/evaluations", headers=bearer(network.sender_viewer)).json()
    assert [e["author_role"] for e in listed] == ["volunteer"]


def test_strangers_get_404_viewers_get_403(client, network):
    placement = services.placement_propose(volunteer=network.volunteer, mission=network.missions[0])
    stranger = post(client, f"/api/v1/placements/{placement.pk}/confirm", UserFactory())
    viewer = post(client, f"/api/v1/placements/{placement.pk}/cancel", network.sender_viewer, {"reason": "x"})
    assert stranger.status_code == 404
    assert viewer.status_code == 403 and viewer.json()["code"] == "forbidden"
    assert client.get("/api/v1/placements", headers=bearer(UserFactory())).json()["count"] == 0
    assert client.get("/api/v1/placements", headers=bearer(network.sender_viewer)).json()["count"] == 1


def test_unknown_fields_and_non_object_bodies_are_refused(client, network):
    placement = services.placement_propose(volunteer=network.volunteer, mission=network.missions[0])
    typo = post(client, f"/api/v1/placements/{placement.pk}/cancel", network.host_officer,
                {"reason": "x", "reasn": "y"})
    assert typo.status_code == 422 and typo.json()["code"] == "invalid_input"


def test_lists_do_not_query_per_row(client, network, django_assert_max_num_queries):
    from reciprocity.missions.tests.factories import MissionFactory
    from reciprocity.volunteers.tests.factories import VolunteerFactory

    for _ in range(12):
        volunteer = VolunteerFactory(sending_organisation=network.sender)
        mission = MissionFactory(host=network.host)
        services.placement_propose(volunteer=volunteer, mission=mission)
        applying.application_submit(now=timezone.now(), actor=network.sender_officer, volunteer=volunteer,
                                        missions=[mission])
    headers = bearer(network.host_officer)

    with django_assert_max_num_queries(8):
        placements = client.get("/api/v1/placements?limit=50", headers=headers).json()
    with django_assert_max_num_queries(8):
        listed = client.get("/api/v1/applications?limit=50", headers=headers).json()
    assert placements["count"] == 12 and listed["count"] == 12


def test_a_write_without_a_body_reads_as_an_empty_object(client, network):
    """Confirm was called without a body before it had optional reasons: it still is."""
    placement = services.placement_propose(volunteer=network.volunteer, mission=network.missions[0])
    headers = bearer(network.host_officer)
    # As `curl -X POST` sends it: no body, no content type (the test client's post() would
    # send an empty multipart form).
    confirmed = client.generic("POST", f"/api/v1/placements/{placement.pk}/confirm", b"",
                               content_type="", headers=headers)
    assert confirmed.status_code == 200, confirmed.content
    assert confirmed.json()["status"] == "confirmed"
    # An operation with required fields still names them.
    cancelled = client.generic("POST", f"/api/v1/placements/{placement.pk}/cancel", b"",
                               content_type="", headers=headers)
    assert cancelled.status_code == 422 and cancelled.json()["code"] == "invalid_input"
    assert "reason" in cancelled.content.decode()
