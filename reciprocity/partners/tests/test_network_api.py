"""The API of running the network: the same services and rules as the pages, with tokens."""

import datetime
import json

import pytest

from reciprocity.accounts.models import MembershipRole, TokenScope
from reciprocity.accounts.tests.factories import MembershipFactory, api_token_for
from reciprocity.agreements import apis as agreement_apis
from reciprocity.agreements.models import Agreement, AgreementStatus, QuotaUnit
from reciprocity.agreements.tests.factories import AgreementFactory, ProgrammeFactory
from reciprocity.api import api
from reciprocity.partners import apis as partner_apis
from reciprocity.partners.models import (
    AccreditationKind,
    Affiliation,
    AffiliationKind,
    LegalForm,
    Organisation,
)
from reciprocity.partners.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 26)


@pytest.fixture
def network():
    coordinator = OrganisationFactory(name="France Volontaires", is_coordinator=True)
    host = OrganisationFactory(name="Maison des Solidarités")
    Affiliation.objects.create(member=host, parent=coordinator,
                               kind=AffiliationKind.NETWORK_MEMBER, valid_from=TODAY)
    writer = MembershipFactory(organisation=coordinator, role=MembershipRole.ADMIN).user
    viewer = MembershipFactory(organisation=coordinator, role=MembershipRole.VIEWER).user
    return {"coordinator": coordinator, "host": host, "key": api_token_for(writer),
            "viewer_key": api_token_for(viewer),
            "agency": OrganisationFactory(name="ANVT", country="TG")}


def call(client, method: str, path: str, key: str, body: object = None):  # type: ignore[no-untyped-def]
    headers = {"Authorization": f"Bearer {key}"}
    if body is None:
        return getattr(client, method)(path, headers=headers)
    return getattr(client, method)(path, json.dumps(body), content_type="application/json",
                                   headers=headers)


def test_the_schema_literals_are_the_models_choices():
    assert set(partner_apis.LegalFormCode.__args__) == set(LegalForm.values)
    assert set(partner_apis.AccreditationKindCode.__args__) == set(AccreditationKind.values)
    assert set(partner_apis.AffiliationKindCode.__args__) == set(AffiliationKind.values)
    assert set(agreement_apis.StatusCode.__args__) == set(AgreementStatus.values)
    assert set(agreement_apis.UnitCode.__args__) == set(QuotaUnit.values)


def test_the_operations_are_documented():
    schema = api.get_openapi_schema()
    paths = schema["paths"]
    assert "post" in paths["/api/v1/organisations"]
    assert "patch" in paths["/api/v1/organisations/{organisation_id}"]
    assert "post" in paths["/api/v1/organisations/{organisation_id}/accreditations"]
    assert "post" in paths["/api/v1/organisations/{organisation_id}/affiliations/{affiliation_id}/end"]
    assert {"get", "post"} <= set(paths["/api/v1/agreements"])
    assert "patch" in paths["/api/v1/agreements/{agreement_id}"]
    assert {"get", "post"} <= set(paths["/api/v1/programmes"])
    assert 400 in paths["/api/v1/agreements"]["post"]["responses"]


def test_a_coordinator_creates_an_organisation_with_its_accreditation_and_affiliation(
        client, network):
    response = call(client, "post", "/api/v1/organisations", network["key"], {
        "name": "Concordia", "country": "FR", "is_host": True, "exchange_code": "CON",
        "network_id": network["coordinator"].pk})
    assert response.status_code == 201, response.content
    concordia = Organisation.objects.get(pk=response.json()["id"])
    assert response.json()["affiliations"][0]["parent_id"] == network["coordinator"].pk

    response = call(client, "post", "/api/v1/organisations", network["key"], {
        "name": "concordia", "country": "FR", "exchange_code": "con",
        "network_id": network["coordinator"].pk})
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_input"
    assert set(response.json()["details"]) == {"name", "exchange_code"}

    response = call(client, "patch", f"/api/v1/organisations/{concordia.pk}", network["key"],
                    {"city": "Paris", "exchange_code": ""})
    assert response.status_code == 200 and response.json()["exchange_code"] is None

    body = {"scheme": "service_civique", "kind": "collective", "number": "NA-1",
            "authorised_volunteers": 3, "valid_from": "2026-01-01", "valid_to": "2027-12-31",
            "issuer": "ASC"}
    response = call(client, "post", f"/api/v1/organisations/{concordia.pk}/accreditations",
                    network["key"], body)
    assert response.status_code == 201
    accreditation_id = response.json()["id"]
    response = call(client, "patch",
                    f"/api/v1/organisations/{concordia.pk}/accreditations/{accreditation_id}",
                    network["key"], {"valid_to": "2025-01-01"})
    assert response.status_code == 400 and "valid_to" in response.json()["details"]

    intermediary = network["host"]
    response = call(client, "post", f"/api/v1/organisations/{concordia.pk}/affiliations",
                    network["key"], {"parent_id": intermediary.pk,
                                     "kind": "hosted_under_accreditation",
                                     "valid_from": "2026-12-01"})
    assert response.status_code == 201
    affiliation_id = response.json()["id"]
    response = call(client, "post",
                    f"/api/v1/organisations/{concordia.pk}/affiliations/{affiliation_id}/end",
                    network["key"], {"on": "2027-06-30"})
    assert response.status_code == 200 and response.json()["valid_to"] == "2027-06-30"


def test_viewers_and_outsiders_are_refused_and_read_tokens_too(client, network):
    host = network["host"]
    outsider_key = api_token_for(MembershipFactory(role=MembershipRole.ADMIN).user)
    for key in (network["viewer_key"], outsider_key):
        assert call(client, "patch", f"/api/v1/organisations/{host.pk}", key,
                    {}).status_code == 403
        assert call(client, "post", "/api/v1/organisations", key, {
            "name": "X", "country": "FR", "network_id": network["coordinator"].pk,
        }).status_code == 403
        assert call(client, "post", f"/api/v1/organisations/{host.pk}/accreditations", key, {
            "scheme": "vsi", "kind": "individual", "number": "N", "authorised_volunteers": 1,
            "valid_from": "2026-01-01", "valid_to": "2026-12-31", "issuer": "MEAE",
        }).status_code == 403
    writer = Organisation.objects.get(pk=network["coordinator"].pk).memberships.get(
        role=MembershipRole.ADMIN).user
    read_key = api_token_for(writer, scope=TokenScope.READ)
    assert call(client, "patch", f"/api/v1/organisations/{host.pk}", read_key,
                {"city": "Nice"}).status_code == 403
    assert not Organisation.objects.filter(name="X").exists()


def test_a_hosts_admin_changes_its_contacts_only(client, network):
    host = network["host"]
    key = api_token_for(MembershipFactory(organisation=host, role=MembershipRole.ADMIN).user)
    assert call(client, "patch", f"/api/v1/organisations/{host.pk}", key,
                {"phone": "+33 1"}).status_code == 200
    assert call(client, "patch", f"/api/v1/organisations/{host.pk}", key,
                {"name": "Mine"}).status_code == 403


def test_agreements_and_programmes_through_the_api(client, network):
    body = {"reference": "mds-anvt", "title": "MDS ⇄ ANVT", "party_a_id": network["host"].pk,
            "party_b_id": network["agency"].pk, "schemes": ["service_civique"],
            "start_date": "2027-01-01", "end_date": "2027-12-31", "quota_a_to_b": 2,
            "quota_b_to_a": 3, "tolerance": 1, "tolerance_strict": True}
    response = call(client, "post", "/api/v1/agreements", network["key"], body)
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["schemes"] == ["service_civique"] and created["status"] == "draft"

    response = call(client, "post", "/api/v1/agreements", network["key"],
                    body | {"party_b_id": network["host"].pk, "schemes": ["nope"]})
    assert response.status_code == 400
    assert set(response.json()["details"]) <= {"party_b", "schemes"}

    response = call(client, "patch", f"/api/v1/agreements/{created['id']}", network["key"],
                    {"status": "active", "quota_b_to_a": 5})
    assert response.status_code == 200
    assert Agreement.objects.get(pk=created["id"]).quota_b_to_a == 5
    listed = call(client, "get", "/api/v1/agreements", network["key"]).json()
    assert [a["reference"] for a in listed["items"]] == ["mds-anvt"]

    theirs = AgreementFactory()
    assert call(client, "patch", f"/api/v1/agreements/{theirs.pk}", network["key"],
                {"status": "ended"}).status_code == 404

    response = call(client, "post", "/api/v1/programmes", network["key"], {
        "code": "enlazando", "name": "Enlazando", "coordinator_id": network["coordinator"].pk,
        "countries": ["FR", "BO"], "schemes": ["vsi"], "start_date": "2027-01-01"})
    assert response.status_code == 201, response.content
    programme_id = response.json()["id"]
    response = call(client, "patch", f"/api/v1/programmes/{programme_id}", network["key"],
                    {"end_date": "2020-01-01"})
    assert response.status_code == 400 and "end_date" in response.json()["details"]
    other = ProgrammeFactory()
    assert call(client, "patch", f"/api/v1/programmes/{other.pk}", network["key"],
                {"name": "Mine"}).status_code == 403
