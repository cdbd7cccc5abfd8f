import json

import pytest

from reciprocity.accounts.tests.factories import api_token_for
from reciprocity.missions.models import Mission, MissionStatus
from reciprocity.missions.tests.factories import MissionFactory
from reciprocity.placements.models import PlacementStatus
from reciprocity.placements.tests.factories import PlacementFactory

pytestmark = pytest.mark.django_db

BASE = "/api/v1/missions"
BODY = {
    "scheme": "service_civique", "title": "Garden for all", "theme": "environment",
    "country": "FR", "city": "Lyon", "start_date": "2027-03-01", "end_date": "2027-08-31",
    "capacity": 2, "weekly_hours": 28, "languages": ["fr"], "age_min": 18, "age_max": 25,
}


def post(client, url, body=None, **extra):  # type: ignore[no-untyped-def]
    data = body if isinstance(body, str) else json.dumps(body or {})
    return client.post(url, data, content_type="application/json", **extra)


def patch(client, url, body):  # type: ignore[no-untyped-def]
    data = body if isinstance(body, str) else json.dumps(body)
    return client.patch(url, data, content_type="application/json")


def assert_error(response, status, code=None):  # type: ignore[no-untyped-def]
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"code", "message", "details"}
    assert body["message"]
    if code:
        assert body["code"] == code
    return body


# --- reads ---------------------------------------------------------------------------------------


def test_public_list_shows_published_missions_with_filters(client):
    MissionFactory(title="Lyon", country="FR")
    togo = MissionFactory(title="Lomé", country="TG", capacity=1)
    MissionFactory(title="Draft", status=MissionStatus.DRAFT)
    response = client.get(BASE)
    assert response.status_code == 200
    assert {m["title"] for m in response.json()["items"]} == {"Lyon", "Lomé"}
    assert [m["title"] for m in client.get(BASE + "?country=tg").json()["items"]] == ["Lomé"]
    PlacementFactory(mission=togo, status=PlacementStatus.CONFIRMED)
    only_free = client.get(BASE + "?places=true").json()
    assert [m["title"] for m in only_free["items"]] == ["Lyon"]
    assert only_free["count"] == 1


@pytest.mark.parametrize(
    ("query", "field"),
    [("?date_from=notadate", "date_from"), ("?country=ZZZ", "country"),
     ("?scheme=nope", "scheme"), ("?language=123", "language"),
     ("?date_from=2027-02-01&date_to=2027-01-01", "date_to")],
)
def test_invalid_filters_are_422_with_details(client, query, field):
    body = assert_error(client.get(BASE + query), 422, "invalid_input")
    assert field in body["details"]


@pytest.mark.parametrize(
    "query", ["?limit=abc", "?offset=-1", "?limit=0", "?limit=100000",
              "?offset=" + "9" * 40, "?places=maybe"],
)
def test_bad_pagination_is_422(client, query):
    assert_error(client.get(BASE + query), 422, "invalid_input")


def test_list_query_count_does_not_grow(client, django_assert_max_num_queries):
    for _ in range(20):
        PlacementFactory(mission=MissionFactory(), status=PlacementStatus.CONFIRMED)
    with django_assert_max_num_queries(4):
        response = client.get(BASE + "?limit=20&places=true")
    assert len(response.json()["items"]) == 20


def test_detail_is_public_for_published_only(client, host, officer):
    published = MissionFactory(host=host)
    draft = MissionFactory(host=host, status=MissionStatus.DRAFT)
    body = client.get(f"{BASE}/{published.pk}").json()
    assert body["id"] == published.pk and body["description"] and body["places_left"] == 2
    assert_error(client.get(f"{BASE}/{draft.pk}"), 404, "not_found")
    # Past the largest id: refused by the bounded id type (core.bounds), never a server error.
    assert_error(client.get(f"{BASE}/{10**30}"), 422, "invalid_input")
    assert_error(client.get(f"{BASE}/abc"), 422, "invalid_input")
    client.force_login(officer)
    assert client.get(f"{BASE}/{draft.pk}").status_code == 200


def test_my_missions_need_sign_in_and_list_every_status(client, host, officer, other_host):
    mine = {MissionFactory(host=host, status=s).pk for s in MissionStatus}
    MissionFactory(host=other_host)
    assert_error(client.get(BASE + "/mine"), 401, "unauthenticated")
    client.force_login(officer)
    assert {m["id"] for m in client.get(BASE + "/mine").json()["items"]} == mine
    drafts = client.get(BASE + "/mine?status=draft").json()["items"]
    assert [m["status"] for m in drafts] == ["draft"]
    assert_error(client.get(BASE + "/mine?status=bogus"), 422)


# --- writes --------------------------------------------------------------------------------------


def test_full_lifecycle_with_a_bearer_token(client, host, officer):
    key = api_token_for(officer, organisation=host)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    created = post(client, BASE, {**BODY, "host_id": host.pk}, **auth)
    assert created.status_code == 201, created.content
    mission_id = created.json()["id"]
    assert created.json()["status"] == "draft"

    response = client.patch(f"{BASE}/{mission_id}", json.dumps({"city": "Villeurbanne"}),
                            content_type="application/json", **auth)
    assert response.json()["city"] == "Villeurbanne"
    assert response.json()["title"] == "Garden for all"
    assert post(client, f"{BASE}/{mission_id}/publish", **auth).json()["status"] == "published"
    assert post(client, f"{BASE}/{mission_id}/close", **auth).json()["status"] == "closed"
    copy = post(client, f"{BASE}/{mission_id}/duplicate", **auth)
    assert copy.status_code == 201 and copy.json()["status"] == "draft"
    cancelled = post(client, f"{BASE}/{copy.json()['id']}/cancel", {"reason": "Not this year"},
                     **auth)
    assert cancelled.json()["status"] == "cancelled"
    history = Mission.objects.get(pk=mission_id).status_changes.values_list("to_status", flat=True)
    assert list(history) == ["draft", "published", "closed"]


def test_illegal_transition_is_409(client, host, officer):
    mission = MissionFactory(host=host, status=MissionStatus.CLOSED)
    client.force_login(officer)
    assert_error(post(client, f"{BASE}/{mission.pk}/publish"), 409, "invalid_transition")
    assert_error(patch(client, f"{BASE}/{mission.pk}", {"title": "x"}), 409, "invalid_transition")


def test_anonymous_cannot_write(client, host):
    mission = MissionFactory(host=host)
    assert_error(post(client, BASE, {**BODY, "host_id": host.pk}), 401, "unauthenticated")
    for action in ("close", "duplicate"):
        assert_error(post(client, f"{BASE}/{mission.pk}/{action}"), 401, "unauthenticated")
    assert_error(patch(client, f"{BASE}/{mission.pk}", {"title": "x"}), 401)


@pytest.mark.parametrize("who", ["viewer", "other_officer", "outsider"])
def test_others_cannot_write(client, request, host, who):
    mission = MissionFactory(host=host)
    draft = MissionFactory(host=host, status=MissionStatus.DRAFT)
    client.force_login(request.getfixturevalue(who))
    assert_error(post(client, BASE, {**BODY, "host_id": host.pk}), 403, "forbidden")
    assert_error(patch(client, f"{BASE}/{mission.pk}", {"title": "x"}), 403, "forbidden")
    for action in ("close", "duplicate"):
        assert_error(post(client, f"{BASE}/{mission.pk}/{action}"), 403, "forbidden")
    assert_error(post(client, f"{BASE}/{mission.pk}/cancel", {"reason": "x"}), 403, "forbidden")
    # A viewer of the host sees its draft (403: read-only); the others cannot see it (404).
    status = 403 if who == "viewer" else 404
    assert_error(post(client, f"{BASE}/{draft.pk}/publish"), status)
    assert Mission.objects.count() == 2
    mission.refresh_from_db()
    assert mission.status == MissionStatus.PUBLISHED and mission.title != "x"


def test_validation_errors_name_the_field(client, host, officer, sc_rules):
    client.force_login(officer)
    body = assert_error(post(client, BASE, {**BODY, "host_id": host.pk, "weekly_hours": 50}),
                        422, "invalid_mission")
    assert "weekly_hours" in body["details"]
    body = assert_error(post(client, BASE, {**BODY, "host_id": 10**30}), 422)
    body = assert_error(post(client, BASE, {**BODY, "host_id": 999999}), 422, "invalid_mission")
    assert "host_id" in body["details"]
    mission = MissionFactory(host=host)
    body = assert_error(patch(client, f"{BASE}/{mission.pk}", {"title": None}), 422)
    assert "title" in body["details"]


GARBAGE = [
    "not json", "", "[]", "null", "123", '{"host_id": "abc"}', "{" * 1000,
    json.dumps({**BODY, "capacity": "many"}),
    json.dumps({**BODY, "capacity": 10**40}),
    json.dumps({**BODY, "capacity": 1.5}),
    json.dumps({**BODY, "weekly_hours": -10**30}),
    json.dumps({**BODY, "age_min": 10**20}),
    json.dumps({**BODY, "start_date": "2027-02-30"}),
    json.dumps({**BODY, "start_date": "9999-12-31", "end_date": "9999-12-31"}),
    json.dumps({**BODY, "languages": "fr"}),
    json.dumps({**BODY, "languages": [1, None]}),
    json.dumps({**BODY, "country": "\x00\x00"}),
    json.dumps({**BODY, "title": "x" * 5000}),
    json.dumps({**BODY, "title": "nul\u0000byte"}),
    json.dumps({**BODY, "description": "nul\u0000byte", "languages": ["f\u0000"]}),
    json.dumps({**BODY, "programme": "nope"}),
    json.dumps({**BODY, "theme": {"a": 1}}),
]


@pytest.mark.parametrize("raw", GARBAGE)
def test_garbage_bodies_never_cause_a_server_error(client, host, officer, raw):
    client.force_login(officer)
    if raw.startswith("{\"") and "host_id" not in raw:
        raw = json.dumps({**json.loads(raw), "host_id": host.pk})
    response = post(client, BASE, raw)
    assert 400 <= response.status_code < 500, response.content
    assert set(response.json()) == {"code", "message", "details"}
    mission = MissionFactory(host=host, status=MissionStatus.DRAFT)
    response = patch(client, f"{BASE}/{mission.pk}", raw)
    # An empty list or body may be read as "change nothing"; anything else is refused.
    assert response.status_code < 500, response.content
    if response.status_code == 200:
        mission.refresh_from_db()
        assert mission.title.startswith("Mission ")
    else:
        assert set(response.json()) == {"code", "message", "details"}
    assert not Mission.objects.exclude(pk=mission.pk).exists()


def test_openapi_documents_every_response(client):
    schema = client.get("/api/v1/openapi.json").json()
    paths = {p: ops for p, ops in schema["paths"].items() if p.startswith("/api/v1/missions")}
    assert set(paths) == {
        "/api/v1/missions", "/api/v1/missions/mine", "/api/v1/missions/{mission_id}",
        "/api/v1/missions/{mission_id}/publish", "/api/v1/missions/{mission_id}/close",
        "/api/v1/missions/{mission_id}/cancel", "/api/v1/missions/{mission_id}/duplicate",
    }
    writes = [paths["/api/v1/missions"]["post"], paths["/api/v1/missions/{mission_id}"]["patch"],
              paths["/api/v1/missions/{mission_id}/publish"]["post"]]
    for operation in writes:
        assert {"401", "403", "404", "409", "422"} <= set(operation["responses"])
        error = operation["responses"]["403"]["content"]["application/json"]["schema"]
        assert error["$ref"].endswith("/ErrorOut")
    assert "422" in paths["/api/v1/missions"]["get"]["responses"]
