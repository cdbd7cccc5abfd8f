"""Pages of quota scenarios: list and create, detail with its exports, save quotas, apply,
compare; who gets what."""

import io

import pytest
from openpyxl import load_workbook

from reciprocity.agreements.models import AgreementYearQuota
from reciprocity.planning.models import Scenario, ScenarioStatus
from reciprocity.planning.services import scenario_create, scenario_set_quotas
from reciprocity.planning.tests.conftest import TODAY


def _scenario(network, name="Next year"):
    return scenario_create(by=network["officer"], name=name, year=2027,
                           organisation=network["coordinator"], today=TODAY)


def test_a_coordinator_creates_changes_and_applies_a_scenario(client, network):
    client.force_login(network["officer"])
    senegal = network["senegal_ag"].pk

    response = client.post("/planning/", {"name": "Plan 2027", "year": 2027,
                                          "organisation": network["coordinator"].pk})
    scenario = Scenario.objects.get(name="Plan 2027")
    assert response.status_code == 302 and response["Location"] == f"/planning/{scenario.pk}/"
    page = client.get(f"/planning/{scenario.pk}/").content.decode()
    assert "fr-sn" in page and "Senegal" in page and f'name="ab_{senegal}"' in page

    fields = {f"{k}_{line.agreement_id}": getattr(line, f"quota_{d}")
              for line in scenario.lines.all() for k, d in (("ab", "a_to_b"), ("ba", "b_to_a"))}
    response = client.post(f"/planning/{scenario.pk}/", {**fields, f"ab_{senegal}": 14})
    assert response.status_code == 302
    assert scenario.lines.get(agreement_id=senegal).quota_a_to_b == 14

    response = client.post(f"/planning/{scenario.pk}/apply/")
    assert response.status_code == 302
    scenario.refresh_from_db()
    assert scenario.status == ScenarioStatus.APPLIED
    assert AgreementYearQuota.objects.get(agreement_id=senegal, year=2027).quota_a_to_b == 14
    assert "2027: 14 / 10" in client.get(f"/agreements/{senegal}/").content.decode()
    # Applied: read only, and a second apply is refused with a message.
    page = client.get(f"/planning/{scenario.pk}/").content.decode()
    assert 'name="ab_' not in page
    response = client.post(f"/planning/{scenario.pk}/apply/", follow=True)
    assert "applied" in response.content.decode()


def test_negative_quota_is_refused_on_the_form(client, network):
    scenario = _scenario(network)
    client.force_login(network["officer"])

    response = client.post(f"/planning/{scenario.pk}/", {
        f"{k}_{line.agreement_id}": -1 if k == "ab" else 1
        for line in scenario.lines.all() for k in ("ab", "ba")})

    assert response.status_code == 200
    assert scenario.lines.filter(quota_a_to_b=-1).count() == 0


def test_exports_and_compare(client, network):
    low, high = _scenario(network, "Low"), _scenario(network, "High")
    scenario_set_quotas(by=network["officer"], scenario=high,
                        quotas={network["senegal_ag"].pk: (15, 15)})
    client.force_login(network["officer"])

    csv_body = client.get(f"/planning/{high.pk}/?format=csv").content.decode("utf-8-sig")
    assert csv_body.splitlines()[0].startswith("Agreement,Party A,Party B")
    assert "fr-sn" in csv_body and ",15,15," in csv_body
    workbook = load_workbook(io.BytesIO(client.get(f"/planning/{high.pk}/?format=xlsx").content))
    assert workbook.sheetnames == ["Agreements", "Network"]

    page = client.get(f"/planning/compare/?first={low.pk}&second={high.pk}").content.decode()
    assert "Low" in page and "High" in page and "15 / 15" in page
    compared = client.get(f"/planning/compare/?first={low.pk}&second={high.pk}&format=csv")
    assert "fr-sn" in compared.content.decode("utf-8-sig")


@pytest.mark.parametrize("who", ["viewer", "outsider"])
def test_others_get_nothing(client, network, who):
    """A viewer of the coordinator may not plan; another coordinator's admin plans its own."""
    scenario = _scenario(network)
    client.force_login(network[who])

    listing = client.get("/planning/")
    assert listing.status_code == (403 if who == "viewer" else 200)
    assert "Next year" not in listing.content.decode()
    for path in (f"/planning/{scenario.pk}/", f"/planning/{scenario.pk}/?format=csv",
                 f"/planning/compare/?first={scenario.pk}&second={scenario.pk}"):
        assert client.get(path).status_code in {403, 404}
    assert client.post(f"/planning/{scenario.pk}/apply/").status_code in {403, 404}
