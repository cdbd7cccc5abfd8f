"""Eligibility and tolerance enforced: accepting a choice and confirming a placement refuse what
the eligibility engine refuses (staff may override with a reason), and a confirmation beyond the
agreement's tolerance needs a reason (or is refused when the agreement is strict)."""

import json

import pytest
from django.utils import timezone

from reciprocity.accounts.tests.factories import StaffFactory, api_token_for
from reciprocity.agreements.tests.factories import AgreementFactory
from reciprocity.applications.tests.factories import ApplicationChoiceFactory, ApplicationFactory
from reciprocity.core.exceptions import (
    ApplicationError,
    CapacityExceeded,
    InvalidTransition,
    NotAllowed,
)
from reciprocity.missions.tests.factories import MissionFactory
from reciprocity.placements import services
from reciprocity.placements.models import PlacementStatus
from reciprocity.volunteers.tests.factories import VolunteerFactory
from reciprocity.workflow import services as workflow

pytestmark = pytest.mark.django_db


@pytest.fixture
def armenian(network):
    """Armenia is not a country of the reciprocity scheme: the engine refuses the volunteer."""
    return VolunteerFactory(nationality="AM", residence_country="AM",
                            sending_organisation=network.sender)


def last_reason(placement):
    return placement.history.order_by("id").last().reason


class TestEligibilityAtConfirmation:
    def test_an_ineligible_volunteer_is_refused_with_the_reasons(self, network, armenian):
        placement = services.placement_propose(volunteer=armenian, mission=network.missions[0])

        with pytest.raises(InvalidTransition) as refused:
            workflow.placement_confirm(today=timezone.localdate(), now=timezone.now(), placement=placement, actor=network.host_officer)

        assert refused.value.code == "not_eligible"
        assert "not_reciprocity_country" in [r["code"] for r in refused.value.details["reasons"]]
        placement.refresh_from_db()
        assert placement.status == PlacementStatus.PROPOSED

    def test_staff_override_with_a_reason_kept_in_the_history(self, network, armenian):
        placement = services.placement_propose(volunteer=armenian, mission=network.missions[0])

        confirmed = workflow.placement_confirm(today=timezone.localdate(), now=timezone.now(),
            placement=placement, actor=StaffFactory(), override_reason="Resident refugee, checked")

        assert confirmed.status == PlacementStatus.CONFIRMED
        assert "Resident refugee, checked" in last_reason(confirmed)
        assert "not_reciprocity_country" in last_reason(confirmed)

    def test_only_staff_may_override(self, network, armenian):
        placement = services.placement_propose(volunteer=armenian, mission=network.missions[0])

        with pytest.raises(NotAllowed) as refused:
            workflow.placement_confirm(today=timezone.localdate(), now=timezone.now(), placement=placement, actor=network.host_officer,
                                       override_reason="I know better")

        assert refused.value.code == "override_staff_only"

    def test_an_eligible_volunteer_needs_no_reason(self, network):
        placement = services.placement_propose(volunteer=network.volunteer,
                                               mission=network.missions[0])

        confirmed = workflow.placement_confirm(today=timezone.localdate(), now=timezone.now(), placement=placement, actor=network.host_officer)

        assert confirmed.status == PlacementStatus.CONFIRMED and last_reason(confirmed) == ""


class TestEligibilityAtAcceptance:
    def choice(self, network, volunteer):
        application = ApplicationFactory(volunteer=volunteer, sending_organisation=network.sender)
        return ApplicationChoiceFactory(application=application, mission=network.missions[0])

    def test_refused_with_the_reasons(self, network, armenian):
        choice = self.choice(network, armenian)

        with pytest.raises(InvalidTransition) as refused:
            workflow.application_choice_accept(today=timezone.localdate(), now=timezone.now(), actor=network.host_officer, choice=choice)

        assert refused.value.code == "not_eligible" and refused.value.details["reasons"]
        choice.refresh_from_db()
        assert choice.status == "pending"

    def test_staff_override_and_its_reason_in_the_history(self, network, armenian):
        choice = self.choice(network, armenian)

        workflow.application_choice_accept(today=timezone.localdate(), now=timezone.now(), actor=StaffFactory(), choice=choice,
                                               override_reason="Agreed with the ministry")

        choice.refresh_from_db()
        assert choice.status == "accepted"
        assert "Agreed with the ministry" in choice.history.order_by("id").last().reason

    def test_non_staff_override_is_refused(self, network, armenian):
        with pytest.raises(NotAllowed) as refused:
            workflow.application_choice_accept(today=timezone.localdate(), now=timezone.now(),
                actor=network.host_officer, choice=self.choice(network, armenian),
                override_reason="Please")

        assert refused.value.code == "override_staff_only"

    def test_strangers_learn_nothing_of_the_verdict(self, network, armenian):
        with pytest.raises(NotAllowed) as refused:
            workflow.application_choice_accept(today=timezone.localdate(), now=timezone.now(),
                actor=network.other_host_officer, choice=self.choice(network, armenian))

        assert refused.value.code == "forbidden"


class TestTolerance:
    def mission(self, network, **terms):
        agreement = AgreementFactory(party_a=network.sender, party_b=network.host, tolerance=0,
                                     title="ANVT ⇄ Maison", **terms)
        return MissionFactory(host=network.host, agreement=agreement, capacity=5)

    def test_beyond_the_tolerance_asks_for_a_reason(self, network):
        placement = services.placement_propose(volunteer=network.volunteer,
                                               mission=self.mission(network))

        with pytest.raises(ApplicationError) as refused:
            workflow.placement_confirm(today=timezone.localdate(), now=timezone.now(), placement=placement, actor=network.host_officer)
        assert refused.value.code == "tolerance_reason_required"
        assert refused.value.details["position_after"] == "1"
        assert "ANVT ⇄ Maison" in refused.value.message

        confirmed = workflow.placement_confirm(today=timezone.localdate(), now=timezone.now(), placement=placement, actor=network.host_officer,
                                               tolerance_reason="Return visit planned in May")
        assert confirmed.status == PlacementStatus.CONFIRMED
        assert "Return visit planned in May" in last_reason(confirmed)

    def test_a_strict_agreement_refuses_whatever_the_reason(self, network):
        placement = services.placement_propose(volunteer=network.volunteer,
                                               mission=self.mission(network, tolerance_strict=True))

        with pytest.raises(CapacityExceeded) as refused:
            workflow.placement_confirm(today=timezone.localdate(), now=timezone.now(), placement=placement, actor=network.host_officer,
                                       tolerance_reason="Please")

        assert refused.value.code == "tolerance_strict"

    def test_within_the_tolerance_nothing_is_asked(self, network):
        mission = self.mission(network)
        mission.agreement.tolerance = 1
        mission.agreement.save()
        placement = services.placement_propose(volunteer=network.volunteer, mission=mission)

        assert workflow.placement_confirm(today=timezone.localdate(), now=timezone.now(), placement=placement, actor=network.host_officer).status == "confirmed"


class TestApi:
    def post(self, client, url, user, body=None):
        return client.post(url, json.dumps(body if body is not None else {}),
                           content_type="application/json",
                           headers={"Authorization": f"Bearer {api_token_for(user)}"})

    def test_confirm_refused_then_overridden_by_staff(self, client, network, armenian):
        placement = services.placement_propose(volunteer=armenian, mission=network.missions[0])
        url = f"/api/v1/placements/{placement.pk}/confirm"

        refused = self.post(client, url, network.host_officer)
        assert refused.status_code == 409 and refused.json()["code"] == "not_eligible"
        not_staff = self.post(client, url, network.host_officer, {"override_reason": "x"})
        assert not_staff.status_code == 403 and not_staff.json()["code"] == "override_staff_only"
        done = self.post(client, url, StaffFactory(), {"override_reason": "Checked by staff"})
        assert done.status_code == 200 and done.json()["status"] == "confirmed"

    def test_confirm_with_a_tolerance_reason(self, client, network):
        agreement = AgreementFactory(party_a=network.sender, party_b=network.host, tolerance=0)
        placement = services.placement_propose(
            volunteer=network.volunteer, mission=MissionFactory(host=network.host, agreement=agreement))
        url = f"/api/v1/placements/{placement.pk}/confirm"

        asked = self.post(client, url, network.host_officer, {})
        assert asked.status_code == 400 and asked.json()["code"] == "tolerance_reason_required"
        done = self.post(client, url, network.host_officer, {"tolerance_reason": "Balanced next year"})
        assert done.status_code == 200

    def test_accept_refused_then_overridden(self, client, network, armenian):
        application = ApplicationFactory(volunteer=armenian, sending_organisation=network.sender)
        choice = ApplicationChoiceFactory(application=application, mission=network.missions[0])
        url = f"/api/v1/applications/choices/{choice.pk}/accept"

        refused = self.post(client, url, network.host_officer)
        assert refused.status_code == 409 and refused.json()["details"]["reasons"]
        done = self.post(client, url, StaffFactory(), {"override_reason": "Checked by staff"})
        assert done.status_code == 200

    def test_the_reasons_are_documented_in_the_schema(self, client):
        schema = client.get("/api/v1/openapi.json").json()
        bodies = json.dumps(schema["components"]["schemas"])
        assert "override_reason" in bodies and "tolerance_reason" in bodies
