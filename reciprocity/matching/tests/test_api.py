"""`/api/v1/matching`: permissions, shapes, and the accept round trip."""

import json

import pytest
from django.utils import timezone

from reciprocity.accounts.models import MembershipRole
from reciprocity.accounts.tests.factories import MembershipFactory, UserFactory, api_token_for
from reciprocity.matching import services
from reciprocity.matching.tests.conftest import SEASON, Season

pytestmark = pytest.mark.django_db

BASE = "/api/v1/matching"


def post(client, url, body=None, **extra):  # type: ignore[no-untyped-def]
    return client.post(url, json.dumps(body or {}), content_type="application/json", **extra)


def bearer(user) -> dict[str, str]:  # type: ignore[no-untyped-def]
    key = api_token_for(user)
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def test_refusals(client, season: Season) -> None:  # type: ignore[no-untyped-def]
    assert client.get(f"{BASE}/runs").status_code == 401
    viewer = UserFactory()
    MembershipFactory(user=viewer, organisation=season.coordinator, role=MembershipRole.VIEWER)
    auth = bearer(viewer)
    response = client.get(f"{BASE}/runs", **auth)
    assert response.status_code == 403 and response.json()["code"] == "forbidden"
    assert post(client, f"{BASE}/runs", {"missions": [season.camp_a.pk]}, **auth).status_code == 403
    staff_run = services.run_create(created_by=season.staff, missions=[season.camp_a], start=False)
    coord = bearer(season.coordinator_user)
    assert client.get(f"{BASE}/runs/{staff_run.pk}", **coord).status_code == 404
    assert post(client, f"{BASE}/runs/{staff_run.pk}/accept", **coord).status_code == 404
    assert client.get(f"{BASE}/runs", **coord).json() == []


def test_create_execute_review_accept(client, season: Season, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    auth = bearer(season.staff)
    bad = post(client, f"{BASE}/runs", {"mode": "optimal"}, **auth)
    assert bad.status_code == 400 and bad.json()["code"] == "invalid_run"
    created = post(client, f"{BASE}/runs", {
        "season_start": SEASON[0].isoformat(), "season_end": SEASON[1].isoformat(),
        "time_limit": 2, "label": "API run",
    }, **auth)
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["status"] == "queued" and body["figures"]["placed"] is None
    run = services.run_execute(run=services.PlacementRun.objects.get(pk=body["id"]),
                               clock=timezone.now)
    detail = client.get(f"{BASE}/runs/{run.pk}", **auth).json()
    assert detail["status"] == "succeeded" and detail["progress"] == 100
    assert detail["figures"]["placed"] == 2 and detail["figures"]["volunteers"] == 3
    assert {"objective", "bound", "gap", "seconds", "warnings"} <= set(detail)
    proposals = client.get(f"{BASE}/runs/{run.pk}/proposals", **auth).json()
    assert len(proposals) == 2 and {"volunteer", "mission", "rank", "decision"} <= set(proposals[0])
    unplaced = client.get(f"{BASE}/runs/{run.pk}/unplaced", **auth).json()
    assert len(unplaced) == 1 and unplaced[0]["reason"] and unplaced[0]["explanation"]
    review = client.get(f"{BASE}/runs/{run.pk}/review", **auth).json()
    camp_a = next(m for m in review["missions"] if m["mission_id"] == season.camp_a.pk)
    assert camp_a["kept"] == 1 and camp_a["proposed"] == 1 and camp_a["places_left"] == 0
    assert camp_a["nationalities"] == {"CI": 1, "SN": 1}
    assert review["agreements"][0]["countries"] == ["FR", "SN"]
    assert review["agreements"][0]["proposed"] == [0, 2] and review["agreements"][0]["balance"] == -2
    compare = client.get(f"{BASE}/compare?runs={run.pk}", **auth).json()
    assert compare[0]["fcfs"]["placed"] == 2 and compare[0]["fcfs_objective"] == 104
    # The acceptance is a task: queued by the request, run once the request's transaction commits
    # (here when the capture ends; in the worker, or in-process with no broker, in production).
    with django_capture_on_commit_callbacks(execute=True):
        accepted = post(client, f"{BASE}/runs/{run.pk}/accept", {"proposals": [proposals[0]["id"]]}, **auth)
        assert accepted.status_code == 202 and accepted.json()["status"] == "queued"
        assert accepted.json()["total"] == 1 and accepted.json()["placements"] == []
    followed = client.get(f"{BASE}/runs/{run.pk}/acceptances/{accepted.json()['id']}", **auth).json()
    assert followed["status"] == "succeeded" and followed["done"] == 1 and followed["percent"] == 100
    assert len(followed["placements"]) == 1
    again = post(client, f"{BASE}/runs/{run.pk}/accept", {"proposals": [proposals[0]["id"]]}, **auth)
    assert again.status_code == 400 and again.json()["code"] == "unknown_proposals"


def test_list_query_count_does_not_grow(client, season: Season, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    for _ in range(6):
        services.run_create(created_by=season.staff, missions=[season.camp_a], start=False)
    client.force_login(season.staff)
    with django_assert_max_num_queries(6):
        response = client.get(f"{BASE}/runs")
    assert response.status_code == 200 and len(response.json()) == 6


def test_cancel_a_queued_run_and_refuse_a_finished_one(client, season: Season) -> None:  # type: ignore[no-untyped-def]
    run = services.run_create(created_by=season.coordinator_user, missions=[season.camp_a], start=False)
    viewer = UserFactory()
    MembershipFactory(user=viewer, organisation=season.coordinator, role=MembershipRole.VIEWER)
    assert post(client, f"{BASE}/runs/{run.pk}/cancel", **bearer(viewer)).status_code == 403
    auth = bearer(season.coordinator_user)
    cancelled = post(client, f"{BASE}/runs/{run.pk}/cancel", **auth)
    assert cancelled.status_code == 200, cancelled.content
    assert cancelled.json()["status"] == "cancelled" and cancelled.json()["cancel_requested"] is True
    again = post(client, f"{BASE}/runs/{run.pk}/cancel", **auth)
    assert again.status_code == 409 and again.json()["code"] == "run_final"


def test_accept_refusals_answer_at_once(client, season: Season, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    run = services.run_execute(
        run=services.run_create(created_by=season.staff, missions=[season.camp_a, season.camp_b], start=False),
        clock=timezone.now,
    )
    auth = bearer(season.staff)
    # Another acceptance still queued (its task not run yet): a second one is refused.
    pending = list(run.proposals.values_list("pk", flat=True))
    with django_capture_on_commit_callbacks(execute=False):
        first = post(client, f"{BASE}/runs/{run.pk}/accept", {"proposals": pending[:1]}, **auth)
    assert first.status_code == 202
    second = post(client, f"{BASE}/runs/{run.pk}/accept", {"proposals": pending[1:]}, **auth)
    assert second.status_code == 409 and second.json()["code"] == "acceptance_in_progress"
