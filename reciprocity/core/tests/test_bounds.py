"""One bounded integer (core.bounds) for every id, list of ids, offset and limit: numbers past the
database's 64-bit integers are refused where they enter (422 from the API, 404 or the filter left
out on pages), never a server error (SQLite's driver raises OverflowError on them)."""

import json
import re

import pytest
from django.urls import URLResolver, get_resolver

from reciprocity.accounts.tests.factories import StaffFactory, api_token_for
from reciprocity.core.bounds import MAX_ID, id_from, ids_from
from reciprocity.matching import services as matching_services
from reciprocity.matching.tests import conftest as matching
from reciprocity.matching.tests.conftest import Season
from reciprocity.partners.tests.factories import OrganisationFactory

season = matching.season  # the matching tests' fixture: a work-camp season
HUGE = "9" * 30
PAST_MAX = str(MAX_ID + 1)
ODD = ["abc", "0", "-1", "1.5", "²", "１", "", " 1", HUGE, PAST_MAX]


@pytest.mark.parametrize(("raw", "expected"), [
    ("1", 1), (str(MAX_ID), MAX_ID), (7, 7),
    (PAST_MAX, None), (HUGE, None), ("0", None), ("-1", None), ("1.5", None), ("abc", None),
    ("²", None), ("１", None), ("", None), (" 1", None), (None, None), (True, None), (0, None),
    (MAX_ID + 1, None),
])
def test_id_from_takes_only_ids_that_fit_the_database(raw, expected):
    assert id_from(raw) == expected


def test_ids_from_keeps_the_valid_ones_in_order_once_and_at_most_n():
    assert ids_from(["3", HUGE, "1", "3", "²", "2", "5"], at_most=3) == [3, 1, 2]


def _staff_client(client):  # type: ignore[no-untyped-def]
    client.force_login(StaffFactory())
    return client


def _bearer(user) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {"Authorization": f"Bearer {api_token_for(user)}"}


# --- pages ---------------------------------------------------------------------------------

@pytest.mark.django_db
@pytest.mark.parametrize("raw", ODD)
@pytest.mark.parametrize("url", [
    "/balance/placements/?agreement={}", "/matching/compare/?run={}", "/matching/compare/?run=1&run={}",
    "/procedures/due/?organisation={}", "/applications/new/?mission={}", "/missions/?page={}",
    "/applications/new/?mission=1&volunteer={}", "/missions/mine/?page={}",
    "/audit/?object_id={}",
])
def test_page_parameters_out_of_bounds_are_no_server_error(client, url, raw):
    response = _staff_client(client).get(url.format(raw))
    assert response.status_code < 500, (url, raw)


@pytest.mark.django_db
@pytest.mark.parametrize("raw", ["²", HUGE, PAST_MAX])
def test_a_run_page_filter_and_a_review_post_out_of_bounds_are_no_server_error(client, season: Season, raw):
    run = matching_services.run_create(created_by=season.staff, missions=[season.camp_a], start=False)
    client.force_login(season.staff)
    assert client.get(f"/matching/{run.pk}/?mission={raw}").status_code == 200
    assert client.post(f"/matching/{run.pk}/reject/", {"proposal": [raw]}).status_code < 500


def _routes(resolver: URLResolver | None = None, prefix: str = "") -> list[str]:
    resolver = resolver or get_resolver()
    found = []
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            found += _routes(entry, prefix + str(entry.pattern))
        elif "<int:" in str(entry.pattern):
            found.append(prefix + str(entry.pattern))
    return found


@pytest.mark.django_db
def test_every_page_route_refuses_an_id_past_the_largest_without_a_server_error(client):
    routes = [r for r in _routes() if not r.startswith("api/")]
    assert len(routes) > 25
    client = _staff_client(client)
    for route in routes:
        url = "/" + re.sub(r"<(slug|str):\w+>", "x", re.sub(r"<int:\w+>", PAST_MAX, route))
        response = client.get(url)
        assert response.status_code in (403, 404, 405), (url, response.status_code)
        # Some writes answer an unknown id by going back to their list (notifications).
        response = client.post(url)
        assert response.status_code in (302, 403, 404, 405), (url, response.status_code)


# --- API -----------------------------------------------------------------------------------

@pytest.mark.django_db
@pytest.mark.parametrize("url", [
    f"/api/v1/organisations?offset={HUGE}", "/api/v1/organisations?offset=19595516719160229888",
    f"/api/v1/organisations?limit={HUGE}", "/api/v1/organisations?limit=100000",
    f"/api/v1/missions?offset={PAST_MAX}", f"/api/v1/applications?offset={PAST_MAX}",
    f"/api/v1/procedures/due?offset={PAST_MAX}", f"/api/v1/procedures/due?organisation={PAST_MAX}",
    f"/api/v1/matching/compare?runs={HUGE}", f"/api/v1/matching/compare?runs=1&runs={PAST_MAX}",
    f"/api/v1/organisations/{PAST_MAX}", f"/api/v1/missions/{PAST_MAX}",
    f"/api/v1/balance/agreements/{PAST_MAX}", f"/api/v1/matching/runs/{PAST_MAX}",
    f"/api/v1/procedures/{PAST_MAX}", f"/api/v1/placements/{PAST_MAX}",
])
def test_api_numbers_out_of_bounds_are_refused_with_422(client, url):
    response = client.get(url, headers=_bearer(StaffFactory()))
    assert response.status_code == 422, (url, response.content)
    assert response.json()["code"] == "invalid_input"


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/api/v1/organisations", "/api/v1/missions", "/api/v1/applications",
                                 "/api/v1/placements", "/api/v1/notifications", "/api/v1/procedures/due"])
def test_api_lists_answer_at_the_largest_offset(client, url):
    OrganisationFactory()
    response = client.get(f"{url}?offset={MAX_ID}", headers=_bearer(StaffFactory()))
    assert response.status_code == 200, response.content
    assert response.json()["items"] == []


@pytest.mark.django_db
def test_api_list_limits_are_bounded_in_the_schema(client):
    schema = client.get("/api/v1/openapi.json").json()
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            for parameter in operation.get("parameters", []):
                text = json.dumps(parameter["schema"])
                if '"integer"' in text:
                    assert '"maximum"' in text, (method, path, parameter["name"])


@pytest.mark.django_db
@pytest.mark.parametrize("body", [{"proposals": [10**20]}, {"proposals": [int(PAST_MAX)]},
                                  {"proposals": [0]}])
def test_a_run_decision_with_an_id_out_of_bounds_is_refused_with_422(client, season: Season, body):
    run = matching_services.run_create(created_by=season.staff, missions=[season.camp_a], start=False)
    response = client.post(f"/api/v1/matching/runs/{run.pk}/reject", json.dumps(body),
                           content_type="application/json", headers=_bearer(season.staff))
    assert response.status_code == 422, response.content
    assert response.json()["code"] == "invalid_input"


@pytest.mark.django_db
def test_a_run_request_with_a_mission_id_out_of_bounds_is_refused_with_422(client, season: Season):
    response = client.post("/api/v1/matching/runs", json.dumps({"missions": [int(PAST_MAX)]}),
                           content_type="application/json", headers=_bearer(season.staff))
    assert response.status_code == 422, response.content
