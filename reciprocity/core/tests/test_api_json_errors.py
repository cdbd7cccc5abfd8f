"""Everything under /api/ answers errors in the API's one shape {"code", "message", "details"},
whatever the status: an unhandled exception (500), a path no operation has (404), a method an
operation does not take (405); the pages keep their HTML errors."""

import logging

import pytest
from django.test import Client

from reciprocity.accounts.tests.factories import StaffFactory, api_token_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def auth(db):  # type: ignore[no-untyped-def]
    return {"Authorization": f"Bearer {api_token_for(StaffFactory())}"}


def _shape(response, status: int, code: str) -> dict:  # type: ignore[no-untyped-def, type-arg]
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json"), response.content
    body = response.json()
    assert set(body) == {"code", "message", "details"} and body["code"] == code
    assert body["message"]
    return body


def _broken(*args, **kwargs):  # type: ignore[no-untyped-def]
    raise RuntimeError("a bug")


def test_an_unhandled_exception_in_an_operation_is_a_json_500_and_is_logged(
        monkeypatch, auth, caplog):
    monkeypatch.setattr("reciprocity.partners.apis.organisation_list", _broken)
    client = Client(raise_request_exception=False)

    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = client.get("/api/v1/organisations", headers=auth)

    body = _shape(response, 500, "server_error")
    assert body["details"] == {} and "a bug" not in response.content.decode()
    assert any(r.exc_info and "a bug" in str(r.exc_info[1]) for r in caplog.records)


def test_an_unhandled_exception_before_the_operation_is_a_json_500(monkeypatch, auth):
    """Authentication runs outside ninja's exception handlers: Django's 500 becomes JSON too."""
    monkeypatch.setattr("reciprocity.accounts.api_auth.TokenAuth.authenticate", _broken)
    client = Client(raise_request_exception=False)

    _shape(client.get("/api/v1/organisations", headers=auth), 500, "server_error")


def test_the_test_client_still_raises_a_server_error_by_default(monkeypatch, auth, client):
    """The exception reaches Django's got_request_exception signal, as an uncaught one would."""
    monkeypatch.setattr("reciprocity.partners.apis.organisation_list", _broken)
    with pytest.raises(RuntimeError, match="a bug"):
        client.get("/api/v1/organisations", headers=auth)


@pytest.mark.parametrize("url", ["/api/v1/xyz", "/api/v1/organisations/1/xyz", "/api/v2/missions",
                                 "/api/", "/api"])
@pytest.mark.parametrize("debug", [False, True])
def test_a_path_no_operation_has_is_a_json_404(client, auth, settings, url, debug):
    settings.DEBUG = debug
    _shape(client.get(url, headers=auth), 404, "not_found")


def test_a_method_an_operation_does_not_take_is_a_json_405_with_allow(client, auth):
    response = client.delete("/api/v1/missions", headers=auth)
    body = _shape(response, 405, "method_not_allowed")
    assert set(response["Allow"].replace(" ", "").split(",")) == {"GET", "POST"}
    assert set(body["details"]["allowed"]) == {"GET", "POST"}


@pytest.mark.parametrize("content_type", ["multipart/form-data", "multipart/form-data; boundary="])
def test_a_body_django_cannot_read_is_a_json_400(auth, content_type):
    client = Client(raise_request_exception=False)
    response = client.generic("POST", "/api/v1/exchange/vef", b"x", content_type=content_type,
                              headers=auth)
    _shape(response, 400, "bad_request")


def test_the_json_errors_that_exist_are_kept(client, auth):
    _shape(client.get("/api/v1/organisations"), 401, "unauthenticated")
    _shape(client.get("/api/v1/missions/abc", headers=auth), 422, "invalid_input")
    _shape(client.get("/api/v1/organisations/123456", headers=auth), 404, "not_found")
    _shape(client.post("/api/v1/matching/runs", "{bad", content_type="application/json",
                       headers=auth), 400, "error")


def test_pages_keep_their_html_errors(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404 and response["Content-Type"].startswith("text/html")


def test_the_schema_documents_the_errors_every_operation_may_give(client):
    schema = client.get("/api/v1/openapi.json").json()
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            expected = {"403", "429", "500"} | ({"400", "422"} if "requestBody" in operation else set())
            assert expected <= set(operation["responses"]), (method, path)
            for status in expected:
                content = operation["responses"][status]["content"]["application/json"]
                assert content["schema"] == {"$ref": "#/components/schemas/ErrorOut"}
