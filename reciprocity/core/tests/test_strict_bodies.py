"""The API accepts exactly the bodies its schema describes (core.api_types.Input): a JSON object,
no unknown field, strict types (a boolean is not an integer, a string not a number), dates
written YYYY-MM-DD; everything else is a 422 in the API's error shape."""

import json

import pytest

from reciprocity.accounts.tests.factories import StaffFactory, api_token_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def auth(db):  # type: ignore[no-untyped-def]
    return {"Authorization": f"Bearer {api_token_for(StaffFactory())}"}


def _json_operations(client) -> list[tuple[str, str, str]]:  # type: ignore[no-untyped-def]
    schema = client.get("/api/v1/openapi.json").json()
    found = []
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            content = operation.get("requestBody", {}).get("content", {})
            if "application/json" in content:
                ref = content["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
                found.append((method, path.replace("{", "").replace("}", "").replace(
                    "mission_id", "1").replace("application_id", "1").replace("choice_id", "1")
                    .replace("placement_id", "1").replace("step_id", "1").replace("run_id", "1"), ref))
    return found


def _send(client, method, url, body, auth):  # type: ignore[no-untyped-def]
    return getattr(client, method)(url, body, content_type="application/json", headers=auth)


def _refused(response) -> None:  # type: ignore[no-untyped-def]
    assert response.status_code == 422, response.content
    assert set(response.json()) == {"code", "message", "details"}
    assert response.json()["code"] == "invalid_input"


def test_every_json_body_is_an_object_without_unknown_fields_in_the_schema(client):
    schema = client.get("/api/v1/openapi.json").json()
    operations = _json_operations(client)
    assert len(operations) >= 15
    for _method, _url, ref in operations:
        assert schema["components"]["schemas"][ref].get("additionalProperties") is False, ref


@pytest.mark.parametrize("body", ["[]", "[1, 2]", '"text"', "null", "1", "true"])
def test_a_body_that_is_not_an_object_is_refused(client, auth, body):
    for method, url, _ref in _json_operations(client):
        response = _send(client, method, url, body, auth)
        assert response.status_code in (400, 422), (method, url, body, response.content)
        assert set(response.json()) == {"code", "message", "details"}


def test_an_empty_list_as_a_patch_body_is_refused(client, auth):
    _refused(_send(client, "patch", "/api/v1/missions/1", "[]", auth))


def test_an_unknown_field_is_refused_everywhere(client, auth):
    for method, url, _ref in _json_operations(client):
        response = _send(client, method, url, json.dumps({"surprise": 1}), auth)
        assert response.status_code == 422, (method, url, response.content)


@pytest.mark.parametrize(("url", "body"), [
    ("/api/v1/matching/runs", {"organisation_id": False}),
    ("/api/v1/matching/runs", {"organisation_id": "5"}),
    ("/api/v1/matching/runs", {"missions": [True]}),
    ("/api/v1/matching/runs", {"time_limit": 2.5}),
    ("/api/v1/matching/runs/1/reject", {"proposals": [1.5]}),
    ("/api/v1/matching/runs/1/reject", {"proposals": [float("inf")]}),
    ("/api/v1/missions", {"host_id": True, "scheme": "vsi", "title": "t", "theme": "culture",
                          "country": "FR", "city": "Lyon", "start_date": "2027-01-01",
                          "end_date": "2027-06-01", "capacity": 1}),
    ("/api/v1/applications", {"volunteer_id": "1", "mission_ids": [1]}),
    ("/api/v1/placements/1/evaluations", {"stage": "final", "author_role": "tutor",
                                          "mission_rating": True, "integration_rating": 3,
                                          "support_rating": 3}),
    ("/api/v1/placements/1/start", {"on": 20270101}),
    ("/api/v1/placements/1/start", {"on": "2027-02-30"}),
    ("/api/v1/placements/1/start", {"on": "1 January 2027"}),
    ("/api/v1/placements/1/cancel", {"reason": 5}),
    ("/api/v1/procedures/steps/1/advance", {"to_status": True}),
])
def test_lax_values_are_refused(client, auth, url, body):
    _refused(_send(client, "post", url, json.dumps(body), auth))


def test_a_whole_number_written_with_a_fraction_is_an_integer(client, auth):
    """JSON Schema's "integer" is any number without a fraction: 2.0 is one."""
    response = _send(client, "post", "/api/v1/matching/runs/1/reject",
                     json.dumps({"proposals": [1.0, 2]}), auth)
    assert response.status_code == 404  # past validation: there is no run 1


def test_a_mission_patch_with_a_boolean_capacity_is_refused(client, auth):
    _refused(_send(client, "patch", "/api/v1/missions/1", json.dumps({"capacity": True}), auth))
