"""No input, however malformed, causes a server error on any write endpoint of the workflow API.

Every POST/PUT of /api/v1/applications, /placements and /notifications is found in the OpenAPI
schema (so a new endpoint without a case here fails the test), then called with: broken bodies,
ids that are not ids (text, zero, negative, beyond a 64-bit integer), and a valid body where one
field at a time is replaced by a value of the wrong type or size. Every answer must be a 4xx with
the one error shape {code, message, details}.
"""

import json

import pytest
from django.utils import timezone

from reciprocity.accounts.tests.factories import StaffFactory, api_token_for
from reciprocity.notifications.services import notify
from reciprocity.workflow import applying
from reciprocity.workflow import services as workflow

pytestmark = pytest.mark.django_db
SHAPE = {"code", "message", "details"}
PREFIXES = ("/api/v1/applications", "/api/v1/placements", "/api/v1/notifications",
            "/api/v1/offers")

BAD_IDS = ["abc", "0", "-1", "1.5", "99999999999999999999", str(2**63)]
BAD_BODIES = ["not json", "", "null", "[1, 2]", '{"a":', "\"text\"", '{"x": 1e400}']
WRONG = {
    "integer": [10**30, -5, "abc", 1.5, "\x00", [1], {"a": 1}],
    "string": [10**30, "\x00", "y" * 30000, ["a"], {"a": 1}],
    "date": ["2027-02-30", "99999-01-01", 10**30, "\x00", "tomorrow"],
    "array": ["abc", [10**30], [-1], ["x"], [[]], list(range(1, 300))],
    "enum": ["nope", 5, "\x00"],
}


def bearer(user) -> dict:
    key = api_token_for(user)
    return {"Authorization": f"Bearer {key}"}


@pytest.fixture
def world(network):
    staff = StaffFactory()
    application = applying.application_submit(now=timezone.now(),
        actor=network.volunteer_user, volunteer=network.volunteer,
        missions=[network.missions[0], network.missions[1]],
    )
    first = application.choices.get(rank=1)
    workflow.application_choice_accept(today=timezone.localdate(), now=timezone.now(), actor=network.host_officer, choice=first)
    ids = {
        "application_id": application.pk,
        "choice_id": application.choices.get(rank=2).pk,
        "placement_id": application.placements.get().pk,
        "offer_id": application.placements.get().offer.pk,
        "mission_id": network.missions[0].pk,
        "notification_id": notify(users=[staff], subject="x")[0].pk,
        "kind": "contract",
    }
    valid = {
        "/api/v1/applications": {"volunteer_id": network.volunteer.pk,
                                 "mission_ids": [network.missions[2].pk], "motivation": "m"},
        "/api/v1/applications/nominations": {
            "organisation_id": network.sender.pk, "volunteer_ids": [network.volunteer.pk],
            "mission_ids": [network.missions[2].pk], "programme_id": None, "motivation": "m"},
        "/api/v1/applications/{application_id}/withdraw": {"reason": "r"},
        "/api/v1/applications/choices/{choice_id}/refuse": {"reason": "r"},
        "/api/v1/applications/missions/{mission_id}/reserves": {"choice_ids": []},
        "/api/v1/offers/{offer_id}/decline": {"reason": "r"},
        "/api/v1/placements/{placement_id}/confirm": {"tolerance_reason": "r", "override_reason": "r"},
        "/api/v1/applications/choices/{choice_id}/accept": {"override_reason": "r"},
        "/api/v1/placements/{placement_id}/start": {"on": "2027-03-01"},
        "/api/v1/placements/{placement_id}/complete": {"on": "2027-08-31"},
        "/api/v1/placements/{placement_id}/cancel": {"reason": "r"},
        "/api/v1/placements/{placement_id}/interrupt": {
            "on": "2027-04-01", "reason": "r", "termination_reason": "health"},
        "/api/v1/placements/{placement_id}/tutor": {"name": "T", "email": "t@example.org", "phone": "1"},
        "/api/v1/placements/{placement_id}/evaluations": {
            "stage": "midterm", "author_role": "tutor", "mission_rating": 3,
            "integration_rating": 3, "support_rating": 3, "comments": "c"},
        "/api/v1/placements/{placement_id}/follow-up": {"situation": "work", "details": "d"},
        "/api/v1/placements/{placement_id}/documents/{kind}/sign": {"role": "host", "lang": "fr"},
    }
    return staff, ids, valid


def write_operations(client) -> list[tuple[str, str, dict]]:
    schema = client.get("/api/v1/openapi.json").json()
    found = []
    for path, operations in schema["paths"].items():
        if not path.startswith(PREFIXES):
            continue
        for method, operation in operations.items():
            if method in {"post", "put", "patch", "delete"}:
                found.append((method, path, operation))
    return found


def kind_of(prop: dict, schema: dict) -> str:
    if "$ref" in prop:
        prop = schema["components"]["schemas"][prop["$ref"].rsplit("/", 1)[1]]
    options = prop.get("anyOf", [prop])
    for option in options:
        if "enum" in option:
            return "enum"
        if option.get("format") == "date":
            return "date"
        if option.get("type") in WRONG:
            return option["type"]
    raise AssertionError(f"no garbage defined for {prop}")


def call(client, method, url, headers, body):
    data = body if isinstance(body, str) else json.dumps(body)
    return getattr(client, method)(url, data, content_type="application/json", headers=headers)


def check(response, what):
    assert 400 <= response.status_code < 500, (what, response.status_code, response.content[:300])
    assert set(response.json()) == SHAPE, what


def test_every_write_endpoint_refuses_garbage_with_a_4xx(client, world):
    staff, ids, valid = world
    headers = bearer(staff)
    schema = client.get("/api/v1/openapi.json").json()
    operations = write_operations(client)
    with_body = {path for _, path, op in operations if "requestBody" in op}
    assert with_body == set(valid), "add a valid body for each new write endpoint"

    calls = 0
    for method, path, operation in operations:
        names = [p["name"] for p in operation.get("parameters", []) if p["in"] == "path"]
        real_url = path.format(**{n: ids[n] for n in names})
        base = valid.get(path, {})
        for name in names:
            for bad in BAD_IDS:
                url = path.format(**{n: (bad if n == name else ids[n]) for n in names})
                check(call(client, method, url, headers, base), (method, url))
                calls += 1
        if path not in valid:
            continue
        content = operation["requestBody"]["content"]["application/json"]["schema"]
        ref = content["$ref"].rsplit("/", 1)[1]
        properties = schema["components"]["schemas"][ref]["properties"]
        required = schema["components"]["schemas"][ref].get("required")
        for body in BAD_BODIES:
            if body in {"", "null"} and not required:
                continue  # no body at all is a valid call when every field has a default
            check(call(client, method, real_url, headers, body), (method, path, body))
            calls += 1
        for field, prop in properties.items():
            for bad in WRONG[kind_of(prop, schema)]:
                body = {**base, field: bad}
                check(call(client, method, real_url, headers, body), (method, path, field, bad))
                calls += 1
    assert calls > 250


@pytest.mark.parametrize("url", [
    "/api/v1/applications?status=bogus", "/api/v1/applications?limit=-1",
    "/api/v1/applications?limit=99999999999999999999999", "/api/v1/applications?offset=abc",
    "/api/v1/applications/99999999999999999999", "/api/v1/applications/0",
    "/api/v1/placements?status=%00", "/api/v1/placements/abc",
    "/api/v1/placements/1/documents/payslip", "/api/v1/placements/1/documents/invitation?lang=xx",
    "/api/v1/placements/99999999999999999999/evaluations", "/api/v1/notifications?unread=maybe",
])
def test_reads_refuse_garbage_with_a_4xx(client, url):
    response = client.get(url, headers=bearer(StaffFactory()))
    check(response, url)
