"""Dissolving a pair from the pairing run's page (a confirmation with a reason) and from the
API (`POST /api/v1/matching/pairing-runs/{id}/pairs/{pair_id}/dissolve`), and who may."""

import datetime
import json

import pytest
from django.urls import reverse

from reciprocity.accounts.models import MembershipRole
from reciprocity.accounts.tests.factories import (
    MembershipFactory,
    StaffFactory,
    UserFactory,
    api_token_for,
)
from reciprocity.matching.models import PairDecision, PairProposal
from reciprocity.partners.tests.factories import OrganisationFactory
from reciprocity.placements.models import PairingMember

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 11, 26, 9, tzinfo=datetime.UTC)
API = "/api/v1/matching/pairing-runs"



def url(pair: PairProposal) -> str:
    return reverse("matching:pair_dissolve", args=[pair.run_id, pair.pk])


def api_post(client, path, body, user):  # type: ignore[no-untyped-def]
    return client.post(path, json.dumps(body), content_type="application/json",
                       HTTP_AUTHORIZATION=f"Bearer {api_token_for(user)}")


class TestPage:
    def test_the_run_page_offers_a_confirmed_dissolution_of_each_accepted_pair(self, client, cohort,
                                                                             accepted):
        client.force_login(cohort.officer)

        page = client.get(reverse("matching:pairing_detail", args=[accepted.run_id])).content.decode()

        assert f'id="dissolve-{accepted.pk}"' in page and url(accepted) in page
        confirmation = client.get(url(accepted))
        assert confirmation.status_code == 200
        assert "Dissolving cannot be undone" in confirmation.content.decode()

    def test_posting_a_reason_dissolves_the_pair_and_the_placements_show_no_partner(
            self, client, cohort, accepted):
        client.force_login(cohort.officer)

        response = client.post(url(accepted), {"reason": "Awa changed mission."})

        assert response.status_code == 302
        assert response["Location"] == reverse("matching:pairing_detail", args=[accepted.run_id])
        accepted.refresh_from_db()
        assert accepted.decision == PairDecision.DISSOLVED
        page = client.get(response["Location"]).content.decode()
        assert "Awa changed mission." in page and "Dissolved by a coordinator" in page
        assert f'id="dissolve-{accepted.pk}"' not in page
        client.force_login(StaffFactory())
        placement = client.get(reverse("placements:detail", args=[cohort.awa.pk])).content.decode()
        assert 'id="placement-partner"' not in placement

    def test_without_a_reason_the_form_answers_again(self, client, cohort, accepted):
        client.force_login(cohort.officer)

        response = client.post(url(accepted), {"reason": ""})

        assert response.status_code == 400
        accepted.refresh_from_db()
        assert accepted.decision == PairDecision.ACCEPTED

    def test_a_pair_not_accepted_is_refused_with_the_reason(self, client, cohort, run_for):
        pair = run_for(cohort).pairs.get()
        client.force_login(cohort.officer)

        assert "Only an accepted pair can be dissolved." in client.get(url(pair)).content.decode()
        response = client.post(url(pair), {"reason": "Why not."})

        assert response.status_code == 400
        assert "A pair that is “To review” cannot become “Dissolved”." in response.content.decode()

    @pytest.mark.parametrize("who, status", [("other coordinator officer", 404),
                                             ("coordinator viewer", 403), ("volunteer", 403)])
    def test_others_may_not_dissolve(self, client, cohort, accepted, who, status):
        user = {
            "other coordinator officer": lambda: MembershipFactory(
                organisation=OrganisationFactory(is_coordinator=True),
                role=MembershipRole.OFFICER).user,
            "coordinator viewer": lambda: MembershipFactory(
                organisation=cohort.coordinator, role=MembershipRole.VIEWER).user,
            "volunteer": lambda: cohort.awa.volunteer.user or UserFactory(),
        }[who]()
        client.force_login(user)

        assert client.get(url(accepted)).status_code == status
        assert client.post(url(accepted), {"reason": "Mine now."}).status_code == status
        accepted.refresh_from_db()
        assert accepted.decision == PairDecision.ACCEPTED


class TestApi:
    def test_the_officer_dissolves_an_accepted_pair(self, client, cohort, accepted):
        path = f"{API}/{accepted.run_id}/pairs/{accepted.pk}/dissolve"

        response = api_post(client, path, {"reason": "Visa delayed."}, cohort.officer)

        assert response.status_code == 200, response.content
        body = response.json()
        assert body["decision"] == "dissolved" and body["pairing_id"] == accepted.pairing_id
        assert body["dissolution"]["cause"] == "coordinator"
        assert body["dissolution"]["reason"] == "Visa delayed."
        assert not PairingMember.objects.filter(placement=cohort.camille).exists()
        detail = client.get(f"{API}/{accepted.run_id}",
                            HTTP_AUTHORIZATION=f"Bearer {api_token_for(cohort.officer)}").json()
        assert detail["pairs"][0]["dissolution"]["reason"] == "Visa delayed."

        again = api_post(client, path, {"reason": "Twice."}, cohort.officer)
        assert again.status_code == 409 and again.json()["code"] == "pair_not_accepted"

    def test_refusals(self, client, cohort, accepted):
        path = f"{API}/{accepted.run_id}/pairs/{accepted.pk}/dissolve"
        stranger = MembershipFactory(organisation=OrganisationFactory(is_coordinator=True),
                                     role=MembershipRole.OFFICER).user

        assert api_post(client, path, {"reason": " "}, cohort.officer).status_code == 400
        assert api_post(client, path, {}, cohort.officer).status_code == 422
        assert api_post(client, path, {"reason": "x", "extra": 1}, cohort.officer).status_code == 422
        assert api_post(client, path, {"reason": "x"}, stranger).status_code == 404
        assert api_post(client, path, {"reason": "x"}, UserFactory()).status_code == 403
        assert api_post(client, f"{API}/{accepted.run_id}/pairs/999999/dissolve", {"reason": "x"},
                        cohort.officer).status_code == 404
        accepted.refresh_from_db()
        assert accepted.decision == PairDecision.ACCEPTED

    def test_the_operation_is_documented(self, client):
        schema = client.get("/api/v1/openapi.json").json()
        operation = schema["paths"][f"{API}/{{pairing_run_id}}/pairs/{{pair_id}}/dissolve"]["post"]
        assert {"200", "400", "403", "404", "409"} <= set(operation["responses"])
