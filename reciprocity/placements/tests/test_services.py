"""The placement lifecycle: every transition allowed and refused, history, ledger, checks."""

import datetime
from itertools import product

import pytest
from django.utils import timezone

from reciprocity.accounts.tests.factories import UserFactory
from reciprocity.agreements.models import AgreementYearQuota, QuotaUnit
from reciprocity.agreements.tests.factories import AgreementFactory
from reciprocity.balance.models import LedgerEntry
from reciprocity.core.exceptions import (
    ApplicationError,
    CapacityExceeded,
    InvalidTransition,
    NotAllowed,
)
from reciprocity.missions.tests.factories import MissionFactory
from reciprocity.partners.models import Accreditation
from reciprocity.partners.tests.factories import AccreditationFactory, OrganisationFactory
from reciprocity.placements import services
from reciprocity.placements.models import PlacementStatus, TerminationReason
from reciprocity.placements.tests.factories import PlacementFactory
from reciprocity.schemes.models import SchemeRule
from reciprocity.volunteers.tests.factories import VolunteerFactory
from reciprocity.workflow import applying
from reciprocity.workflow import services as workflow

pytestmark = pytest.mark.django_db
P = PlacementStatus


def propose(network, mission=None, volunteer=None):
    return services.placement_propose(
        volunteer=volunteer or network.volunteer, mission=mission or network.missions[0],
        actor=network.host_officer,
    )


def events(placement):
    return list(placement.ledger_entries.order_by("id").values_list("event", "volunteers"))


@pytest.mark.parametrize("current,target", list(product(P.values, P.values)))
def test_the_transition_table_decides(current, target):
    if target in services.TRANSITIONS[current]:
        services.check_transition(current, target)
    else:
        with pytest.raises(InvalidTransition) as refused:
            services.check_transition(current, target)
        assert "cannot become" in refused.value.message
        assert refused.value.details["from"] == current


def test_proposal_snapshots_nationality_and_host_country(network):
    placement = propose(network)
    network.volunteer.nationality = "BJ"
    network.volunteer.save()
    placement.refresh_from_db()
    assert (placement.nationality.code, placement.host_country.code) == ("TG", "FR")
    assert placement.tutor_email == network.host.email  # the host's contact until one is named


def test_full_lifecycle_writes_history_and_ledger(network):
    placement = propose(network)
    placement = workflow.placement_confirm(placement=placement, actor=network.host_officer,
                                           today=datetime.date(2026, 12, 1), now=timezone.now())
    placement = workflow.placement_start(placement=placement, actor=network.sender_officer)
    placement = workflow.placement_complete(placement=placement, actor=network.host_officer)

    assert placement.status == P.COMPLETED and placement.ended_on == placement.end_date
    assert [(h.from_status, h.to_status) for h in placement.history.order_by("id")] == [
        ("", P.PROPOSED), (P.PROPOSED, P.CONFIRMED), (P.CONFIRMED, P.IN_MISSION),
        (P.IN_MISSION, P.COMPLETED),
    ]
    assert events(placement) == [("confirmed", 1), ("started", 0), ("completed", 0)]


def test_cancel_needs_a_reason_records_who_and_reverses_the_ledger_only_if_confirmed(network):
    proposed = propose(network)
    with pytest.raises(ApplicationError):
        workflow.placement_cancel(
            placement=proposed, actor=network.host_officer, reason="", on=timezone.localdate()
        )
    workflow.placement_cancel(
        placement=proposed, actor=network.sender_officer, reason="Visa refused", on=timezone.localdate()
    )
    last = proposed.history.order_by("id").last()
    assert (last.to_status, last.changed_by, last.reason) == (P.CANCELLED, network.sender_officer, "Visa refused")
    assert events(proposed) == []

    confirmed = workflow.placement_confirm(today=timezone.localdate(), now=timezone.now(), placement=propose(network, network.missions[1]), actor=network.host_officer)
    workflow.placement_cancel(
        placement=confirmed, actor=network.host_officer, reason="Host closed", on=timezone.localdate()
    )
    assert events(confirmed) == [("confirmed", 1), ("cancelled", -1)]


def test_no_cancellation_after_the_start_only_interruption(network):
    placement = workflow.placement_confirm(today=timezone.localdate(), now=timezone.now(), placement=propose(network), actor=network.host_officer)
    workflow.placement_start(placement=placement, actor=network.host_officer)
    with pytest.raises(InvalidTransition):
        workflow.placement_cancel(
            placement=placement, actor=network.host_officer, reason="Late", on=timezone.localdate()
        )

    day = placement.start_date + datetime.timedelta(days=40)
    with pytest.raises(ApplicationError) as outside:
        workflow.placement_interrupt(placement=placement, actor=network.host_officer,
                                     on=placement.end_date + datetime.timedelta(days=1), reason="x")
    assert outside.value.code == "bad_date"
    placement = workflow.placement_interrupt(
        placement=placement, actor=network.host_officer, on=day, reason="Went home",
        termination_reason=TerminationReason.HEALTH,
    )
    assert (placement.status, placement.ended_on, placement.termination_reason) == (P.INTERRUPTED, day, "health")
    assert events(placement)[-1] == ("interrupted", 0)
    assert LedgerEntry.objects.get(placement=placement, event="interrupted").volunteer_months < 0


def test_interruption_is_refused_before_the_start(network):
    placement = workflow.placement_confirm(today=timezone.localdate(), now=timezone.now(), placement=propose(network), actor=network.host_officer)
    with pytest.raises(InvalidTransition):
        workflow.placement_interrupt(placement=placement, actor=network.host_officer,
                                     on=placement.start_date, reason="x")


def test_strangers_and_volunteers_cannot_move_a_placement(network):
    placement = propose(network)
    for actor in (UserFactory(), network.volunteer_user, network.sender_viewer, network.other_host_officer):
        with pytest.raises(NotAllowed):
            workflow.placement_confirm(today=timezone.localdate(), now=timezone.now(), placement=placement, actor=actor)


def test_confirming_twice_is_an_invalid_transition(network):
    placement = workflow.placement_confirm(today=timezone.localdate(), now=timezone.now(), placement=propose(network), actor=network.host_officer)
    with pytest.raises(InvalidTransition):
        workflow.placement_confirm(today=timezone.localdate(), now=timezone.now(), placement=placement, actor=network.host_officer)


class TestChecks:
    def test_mission_places(self, network):
        mission = MissionFactory(host=network.host, capacity=1)
        PlacementFactory(mission=mission, status=P.CONFIRMED)
        with pytest.raises(CapacityExceeded) as full:
            workflow.placement_confirm(today=timezone.localdate(), now=timezone.now(), placement=propose(network, mission), actor=network.host_officer)
        assert full.value.code == "mission_full"
        assert full.value.details == {"taken": 1, "capacity": 1}

    def test_cancelled_and_proposed_placements_do_not_hold_places(self, network):
        mission = MissionFactory(host=network.host, capacity=1)
        PlacementFactory(mission=mission, status=P.CANCELLED)
        PlacementFactory(mission=mission, status=P.PROPOSED)
        workflow.placement_confirm(today=timezone.localdate(), now=timezone.now(), placement=propose(network, mission), actor=network.host_officer)

    def test_yearly_quota_in_the_direction_of_the_placement(self, network):
        agreement = AgreementFactory(party_a=network.sender, party_b=network.host, quota_a_to_b=1, quota_b_to_a=5)
        mission = MissionFactory(host=network.host, agreement=agreement, capacity=10)
        first = services.placement_propose(volunteer=network.volunteer, mission=mission)
        workflow.placement_confirm(today=timezone.localdate(), now=timezone.now(), placement=first, actor=network.host_officer)
        # A French volunteer going to Togo counts in the other direction: not against TG → FR.
        PlacementFactory(agreement=agreement, volunteer=VolunteerFactory(nationality="FR"),
                         mission=MissionFactory(host=network.sender, country="TG"), status=P.CONFIRMED)

        second = services.placement_propose(volunteer=VolunteerFactory(nationality="TG"), mission=mission)
        with pytest.raises(CapacityExceeded) as used_up:
            workflow.placement_confirm(today=timezone.localdate(), now=timezone.now(), placement=second, actor=network.host_officer)

        assert used_up.value.code == "quota_exceeded"
        assert used_up.value.details["direction"] == "a_to_b" and used_up.value.details["year"] == 2027

    def test_a_years_own_quota_replaces_the_agreements(self, network):
        """An AgreementYearQuota (a quota scenario applied, docs/scenarios.md) is the quota of
        its year: none left A → B here, although the agreement's own quota is 5."""
        agreement = AgreementFactory(party_a=network.sender, party_b=network.host, quota_a_to_b=5)
        mission = MissionFactory(host=network.host, agreement=agreement, capacity=10)
        AgreementYearQuota.objects.create(agreement=agreement, year=mission.start_date.year,
                                          quota_a_to_b=0, quota_b_to_a=5)
        placement = services.placement_propose(volunteer=network.volunteer, mission=mission)

        with pytest.raises(CapacityExceeded) as used_up:
            workflow.placement_confirm(today=timezone.localdate(), now=timezone.now(), placement=placement, actor=network.host_officer)

        assert used_up.value.code == "quota_exceeded" and used_up.value.details["quota"] == 0

    def test_quota_of_another_year_is_separate(self, network):
        agreement = AgreementFactory(party_a=network.sender, party_b=network.host, quota_a_to_b=1)
        this_year = MissionFactory(host=network.host, agreement=agreement)
        next_year = MissionFactory(host=network.host, agreement=agreement,
                                   start_date=datetime.date(2028, 3, 1), end_date=datetime.date(2028, 8, 31))
        workflow.placement_confirm(today=timezone.localdate(), now=timezone.now(), placement=propose(network, this_year), actor=network.host_officer)
        workflow.placement_confirm(today=timezone.localdate(), now=timezone.now(),
            placement=propose(network, next_year, VolunteerFactory(nationality="TG")), actor=network.host_officer
        )

    def test_quota_in_volunteer_months(self, network):
        agreement = AgreementFactory(party_a=network.sender, party_b=network.host, quota_a_to_b=10,
                                     unit=QuotaUnit.VOLUNTEER_MONTHS, tolerance=12)
        mission = MissionFactory(host=network.host, agreement=agreement, capacity=5)  # 6 months each
        workflow.placement_confirm(today=timezone.localdate(), now=timezone.now(), placement=propose(network, mission), actor=network.host_officer)
        second = propose(network, mission, VolunteerFactory(nationality="TG"))
        with pytest.raises(CapacityExceeded) as over:
            workflow.placement_confirm(today=timezone.localdate(), now=timezone.now(), placement=second, actor=network.host_officer)
        assert over.value.details["used"] == 6.0 and over.value.details["needed"] == 6.0

    def test_accreditation_required_by_the_scheme_rule(self, network):
        Accreditation.objects.filter(organisation=network.host).delete()  # the network's own
        SchemeRule.objects.create(scheme_id="service_civique", key="host_accreditation_required",
                                  value=True, effective_from=datetime.date(2010, 3, 10))
        with pytest.raises(CapacityExceeded) as missing:
            workflow.placement_confirm(today=timezone.localdate(), now=timezone.now(), placement=propose(network), actor=network.host_officer)
        assert missing.value.code == "host_not_accredited"

        AccreditationFactory(organisation=network.host, valid_to=datetime.date(2026, 12, 31))  # expired by March 2027
        with pytest.raises(CapacityExceeded):
            workflow.placement_confirm(today=timezone.localdate(), now=timezone.now(), placement=propose(network, network.missions[1]), actor=network.host_officer)

        AccreditationFactory(organisation=network.host, valid_to=datetime.date(2029, 12, 31))
        workflow.placement_confirm(today=timezone.localdate(), now=timezone.now(), placement=propose(network, network.missions[2]), actor=network.host_officer)

    def test_accreditation_count_of_volunteers_at_once(self, network):
        Accreditation.objects.filter(organisation=network.host).delete()  # the network's own
        AccreditationFactory(organisation=network.host, authorised_volunteers=1)
        other = MissionFactory(host=network.host)
        PlacementFactory(mission=other, status=P.IN_MISSION)  # same scheme, same dates
        with pytest.raises(CapacityExceeded) as full:
            workflow.placement_confirm(today=timezone.localdate(), now=timezone.now(), placement=propose(network), actor=network.host_officer)
        assert full.value.code == "accreditation_full"

    def test_an_interrupted_placement_frees_the_accreditation_after_its_last_day(self, network):
        AccreditationFactory(organisation=network.host, authorised_volunteers=1)
        PlacementFactory(mission=MissionFactory(host=network.host), status=P.INTERRUPTED,
                         ended_on=datetime.date(2027, 2, 1), start_date=datetime.date(2027, 1, 1),
                         end_date=datetime.date(2027, 6, 30))
        workflow.placement_confirm(today=timezone.localdate(), now=timezone.now(), placement=propose(network), actor=network.host_officer)


def test_confirmation_places_the_application_and_lapses_the_other_proposals(network):
    from reciprocity.applications.offers import offer_accept

    application = applying.application_submit(now=timezone.now(),
        actor=network.volunteer_user, volunteer=network.volunteer,
        missions=[network.missions[0], network.missions[1], network.other_mission],
    )
    first, second, third = application.choices.order_by("rank")
    workflow.application_choice_accept(today=timezone.localdate(), now=timezone.now(), actor=network.host_officer, choice=first)
    workflow.application_choice_accept(today=timezone.localdate(), now=timezone.now(), actor=network.host_officer, choice=second)
    chosen = first.application.placements.get(mission=network.missions[0])
    # The volunteer accepts the place offered (issue 12: offers) before the confirmation.
    offer_accept(actor=network.volunteer_user, offer=chosen.offer, today=datetime.date(2026, 11, 26), now=timezone.now())

    workflow.placement_confirm(today=timezone.localdate(), now=timezone.now(), placement=chosen, actor=network.sender_officer)

    application.refresh_from_db()
    third.refresh_from_db()
    assert application.status == "placed"
    assert third.status == "withdrawn"
    assert application.placements.get(mission=network.missions[1]).status == P.CANCELLED


def test_a_volunteer_holds_a_mission_once(network):
    propose(network)
    with pytest.raises(ApplicationError) as twice:
        propose(network)
    assert twice.value.code == "already_placed"


def test_agreement_found_between_sender_and_host(network):
    agreement = AgreementFactory(party_a=network.sender, party_b=network.host)
    agreement.schemes.add("service_civique")
    AgreementFactory(party_a=OrganisationFactory(), party_b=network.host).schemes.add("service_civique")
    assert propose(network).agreement == agreement


def test_a_cancelled_mission_takes_no_confirmation_nor_acceptance(network):
    from reciprocity.missions.models import MissionStatus

    placement = propose(network)
    application = applying.application_submit(now=timezone.now(),
        actor=network.volunteer_user, volunteer=network.volunteer, missions=[network.missions[1]]
    )
    network.missions[0].status = network.missions[1].status = MissionStatus.CANCELLED
    network.missions[0].save()
    network.missions[1].save()

    with pytest.raises(InvalidTransition) as confirm:
        workflow.placement_confirm(today=timezone.localdate(), now=timezone.now(), placement=placement, actor=network.host_officer)
    with pytest.raises(InvalidTransition) as accept:
        workflow.application_choice_accept(today=timezone.localdate(), now=timezone.now(), actor=network.host_officer, choice=application.choices.get())
    assert confirm.value.code == accept.value.code == "mission_cancelled"


def test_a_suspended_scheme_signs_no_contract_but_an_ended_suspension_is_history(network):
    from reciprocity.schemes.models import SchemeSuspension

    placement = propose(network)
    scheme = placement.mission.scheme_id
    SchemeSuspension.objects.create(scheme_id=scheme, start=datetime.date(2026, 1, 1),
                                    end=datetime.date(2026, 2, 20), reason="Budget freeze")
    frozen = SchemeSuspension.objects.create(scheme_id=scheme, start=datetime.date(2026, 11, 1),
                                             reason="Budget freeze")
    with pytest.raises(ApplicationError) as refused:
        workflow.placement_confirm(placement=placement, actor=network.host_officer,
                                   today=datetime.date(2026, 11, 26), now=timezone.now())
    assert refused.value.code == "scheme_suspended"
    placement.refresh_from_db()
    assert placement.status == P.PROPOSED
    frozen.end = datetime.date(2026, 11, 20)
    frozen.save()
    confirmed = workflow.placement_confirm(placement=placement, actor=network.host_officer,
                                           today=datetime.date(2026, 11, 26), now=timezone.now())
    assert confirmed.status == P.CONFIRMED
