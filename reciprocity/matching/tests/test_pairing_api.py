"""`/api/v1/matching/pairing-runs`: refusals, create (eager task), detail, accept, export, and
the operations documented in the OpenAPI schema."""

import json

import pytest

from reciprocity.accounts.tests.factories import UserFactory, api_token_for
from reciprocity.placements.models import PairingMember, Placement

pytestmark = pytest.mark.django_db

BASE = "/api/v1/matching/pairing-runs"


def post(client, url, body=None, **extra):  # type: ignore[no-untyped-def]
    return client.post(url, json.dumps(body or {}), content_type="application/json", **extra)


def bearer(user) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {"HTTP_AUTHORIZATION": f"Bearer {api_token_for(user)}"}


def test_create_detail_accept_and_export(client, cohort, django_capture_on_commit_callbacks):  # type: ignore[no-untyped-def]
    auth = bearer(cohort.officer)
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, BASE, {"programme": "weccee", "season_start": "2027-09-01",
                                       "season_end": "2027-10-31", "label": "API"}, **auth)
    assert response.status_code == 201, response.content
    run_id = response.json()["id"]

    detail = client.get(f"{BASE}/{run_id}", **auth).json()
    assert detail["status"] == "succeeded" and detail["programme"] == "weccee"
    [pair] = detail["pairs"]
    assert pair["french"]["placement_id"] == cohort.camille.pk
    assert pair["foreign"]["volunteer"] == "Awa Pairing"
    assert pair["shared_languages"] == ["fr"] and pair["decision"] == "pending"
    assert {u["reason"] for u in detail["unpaired"]} == {"no_compatible_partner", "partners_taken"}
    assert [r["id"] for r in client.get(BASE, **auth).json()] == [run_id]

    export = client.get(f"{BASE}/{run_id}/export?format=xlsx", **auth)
    assert export.status_code == 200 and "spreadsheetml" in export["Content-Type"]
    assert client.get(f"{BASE}/{run_id}/export?format=pdf", **auth).status_code == 422

    accepted = post(client, f"{BASE}/{run_id}/accept", {"pairs": [pair["id"]]}, **auth)
    assert accepted.status_code == 200 and accepted.json()["accepted"] == 1
    assert PairingMember.objects.filter(placement=cohort.awa).exists()
    again = post(client, f"{BASE}/{run_id}/accept", **auth)
    assert again.status_code in {400, 409} and again.json()["code"] == "nothing_to_accept"


def test_a_stale_run_is_refused_with_409(client, cohort, run_for):  # type: ignore[no-untyped-def]
    run = run_for(cohort)
    Placement.objects.filter(pk=cohort.camille.pk).update(status="cancelled")

    response = post(client, f"{BASE}/{run.pk}/accept", **bearer(cohort.officer))

    assert response.status_code == 409 and response.json()["code"] == "stale_run"


def test_refusals(client, cohort, run_for):  # type: ignore[no-untyped-def]
    run = run_for(cohort)
    assert client.get(BASE).status_code == 401
    nobody = bearer(UserFactory())
    assert client.get(BASE, **nobody).status_code == 403
    assert client.get(f"{BASE}/{run.pk}", **nobody).status_code == 403
    assert post(client, f"{BASE}/{run.pk}/accept", **nobody).status_code == 403


def test_operations_are_documented(client):  # type: ignore[no-untyped-def]
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert {"get", "post"} <= set(paths["/api/v1/matching/pairing-runs"])
    for suffix in ("", "/accept", "/reject", "/cancel", "/export"):
        assert f"/api/v1/matching/pairing-runs/{{pairing_run_id}}{suffix}" in paths
