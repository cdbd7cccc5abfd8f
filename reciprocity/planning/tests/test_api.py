"""`/api/v1/planning`: create, change, read, compare and apply scenarios; refusals."""

import json

from reciprocity.accounts.tests.factories import api_token_for
from reciprocity.agreements.models import AgreementYearQuota


def _call(client, method, path, key, body=None):
    kwargs = {"headers": {"Authorization": f"Bearer {key}"}}
    if body is not None:
        kwargs.update(data=json.dumps(body), content_type="application/json")
    return getattr(client, method)(f"/api/v1/planning{path}", **kwargs)


def test_a_coordinator_plans_compares_and_applies_through_the_api(client, network):
    key = api_token_for(network["officer"])
    senegal = network["senegal_ag"].pk

    created = _call(client, "post", "/scenarios", key, {
        "name": "API plan", "year": 2027, "organisation_id": network["coordinator"].pk})
    assert created.status_code == 201, created.content
    scenario = created.json()
    assert scenario["status"] == "draft"
    assert sorted(line["reference"] for line in scenario["lines"]) == ["fr-sn", "fr-tn"]
    other = _call(client, "post", "/scenarios", key, {
        "name": "Other", "year": 2027, "organisation_id": network["coordinator"].pk}).json()

    changed = _call(client, "patch", f"/scenarios/{scenario['id']}/quotas", key, {
        "quotas": [{"agreement_id": senegal, "quota_a_to_b": 13, "quota_b_to_a": 9}]})
    assert changed.status_code == 200
    line = next(x for x in changed.json()["lines"] if x["agreement_id"] == senegal)
    assert (line["scenario"]["quota_a_to_b"], line["current"]["quota_a_to_b"]) == (13, 10)
    assert {c["country"] for c in changed.json()["network"]} == {"FR", "SN", "TN"}

    compared = _call(client, "get", f"/compare?first={scenario['id']}&second={other['id']}", key)
    assert compared.status_code == 200
    row = next(r for r in compared.json()["rows"] if r["agreement_id"] == senegal)
    assert (row["first"]["quota_a_to_b"], row["second"]["quota_a_to_b"]) == (13, 10)

    applied = _call(client, "post", f"/scenarios/{scenario['id']}/apply", key)
    assert applied.status_code == 200 and applied.json()["status"] == "applied"
    assert AgreementYearQuota.objects.get(agreement_id=senegal, year=2027).quota_a_to_b == 13
    again = _call(client, "post", f"/scenarios/{scenario['id']}/apply", key)
    assert (again.status_code, again.json()["code"]) == (409, "scenario_applied")
    stale = _call(client, "post", f"/scenarios/{other['id']}/apply", key)
    assert (stale.status_code, stale.json()["code"]) == (409, "scenario_stale")
    assert [s["name"] for s in _call(client, "get", "/scenarios", key).json()] == [
        "Other", "API plan"]


def test_refusals(client, network):
    key = api_token_for(network["officer"])
    scenario = _call(client, "post", "/scenarios", key, {
        "name": "Plan", "year": 2027, "organisation_id": network["coordinator"].pk}).json()

    unknown_field = _call(client, "patch", f"/scenarios/{scenario['id']}/quotas", key,
                          {"quotas": [], "extra": 1})
    assert unknown_field.status_code == 422
    negative = _call(client, "patch", f"/scenarios/{scenario['id']}/quotas", key, {
        "quotas": [{"agreement_id": network["senegal_ag"].pk, "quota_a_to_b": -1,
                    "quota_b_to_a": 1}]})
    assert negative.status_code == 422
    outside = _call(client, "patch", f"/scenarios/{scenario['id']}/quotas", key, {
        "quotas": [{"agreement_id": network["outside_ag"].pk, "quota_a_to_b": 1,
                    "quota_b_to_a": 1}]})
    assert outside.status_code == 400
    too_far = _call(client, "post", "/scenarios", key, {
        "name": "Far", "year": 2040, "organisation_id": network["coordinator"].pk})
    assert too_far.status_code == 400

    viewer = api_token_for(network["viewer"])
    assert _call(client, "get", "/scenarios", viewer).status_code == 403
    outsider = api_token_for(network["outsider"])
    assert _call(client, "get", f"/scenarios/{scenario['id']}", outsider).status_code == 404
    assert _call(client, "post", f"/scenarios/{scenario['id']}/apply", outsider).status_code == 404
    assert _call(client, "post", "/scenarios", outsider, {
        "name": "Theirs", "year": 2027,
        "organisation_id": network["coordinator"].pk}).status_code == 403
