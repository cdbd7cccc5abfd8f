"""Dissolving an accepted pair (binôme): by a coordinator with a reason, or because one of its
placements was cancelled or interrupted; the placements are then free for a later run."""

import datetime

import pytest
from django.db import IntegrityError, transaction

from reciprocity.accounts.models import MembershipRole
from reciprocity.accounts.tests.factories import MembershipFactory, StaffFactory, UserFactory
from reciprocity.core.exceptions import ApplicationError, InvalidTransition, NotAllowed
from reciprocity.matching.models import (
    DissolutionCause,
    PairDecision,
    PairDissolution,
)
from reciprocity.matching.pairing_services import (
    pair_dissolve,
    pairing_run_accept,
    pairing_run_reject,
)
from reciprocity.partners.tests.factories import OrganisationFactory
from reciprocity.placements.models import PairingMember, PlacementStatus
from reciprocity.placements.selectors import placement_partner
from reciprocity.placements.services import pairing_create, placement_start
from reciprocity.workflow.services import placement_cancel, placement_interrupt

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 11, 26, 9, tzinfo=datetime.UTC)



class TestPairDissolve:
    def test_the_coordinator_dissolves_an_accepted_pair_with_a_reason(self, cohort, accepted):
        pairing = accepted.pairing

        dissolution = pair_dissolve(pair=accepted, actor=cohort.officer,
                                    reason="  Awa asked for another partner. ", now=NOW)

        accepted.refresh_from_db()
        assert accepted.decision == PairDecision.DISSOLVED and accepted.pairing == pairing
        assert (dissolution.french, dissolution.foreign) == (cohort.camille, cohort.awa)
        assert dissolution.cause == DissolutionCause.COORDINATOR
        assert dissolution.reason == "Awa asked for another partner."
        assert (dissolution.actor, dissolution.occurred_at) == (cohort.officer, NOW)
        assert not PairingMember.objects.filter(pairing=pairing).exists()
        staff = StaffFactory()
        assert placement_partner(placement=cohort.awa, user=staff) is None
        assert placement_partner(placement=cohort.camille, user=staff) is None

    def test_both_volunteers_may_be_paired_again_by_a_later_run(self, cohort, accepted, run_for):
        pair_dissolve(pair=accepted, actor=cohort.officer, reason="Other plans.", now=NOW)

        later = run_for(cohort)

        assert (later.french_count, later.foreign_count, later.pairs_count) == (2, 2, 1)
        pair = later.pairs.get()
        assert (pair.french, pair.foreign) == (cohort.camille, cohort.awa)
        [pairing] = pairing_run_accept(run=later, actor=cohort.officer, now=NOW)
        assert pairing.members.count() == 2

    @pytest.mark.parametrize("decision, refused", [
        (PairDecision.PENDING, "A pair that is “To review” cannot become “Dissolved”."),
        (PairDecision.REJECTED, "A pair that is “Rejected” cannot become “Dissolved”."),
        (PairDecision.DISSOLVED, "A pair that is “Dissolved” cannot become “Dissolved”."),
    ])
    def test_only_an_accepted_pair_can_be_dissolved(self, cohort, run_for, decision, refused):
        run = run_for(cohort)
        pair = run.pairs.get()
        if decision == PairDecision.REJECTED:
            pairing_run_reject(run=run, actor=cohort.officer, pairs=[pair.pk], now=NOW)
        elif decision == PairDecision.DISSOLVED:
            pairing_run_accept(run=run, actor=cohort.officer, now=NOW)
            pair_dissolve(pair=pair, actor=cohort.officer, reason="First time.", now=NOW)

        with pytest.raises(InvalidTransition) as caught:
            pair_dissolve(pair=pair, actor=cohort.officer, reason="Again.", now=NOW)

        assert caught.value.message == refused
        assert caught.value.code == "pair_not_accepted" and caught.value.status == 409
        pair.refresh_from_db()
        assert pair.decision == decision
        assert PairDissolution.objects.count() == (1 if decision == PairDecision.DISSOLVED else 0)

    @pytest.mark.parametrize("reason, code", [("", "reason_required"), ("   ", "reason_required"),
                                              ("x" * 1001, "reason_too_long")])
    def test_a_reason_is_required_and_bounded(self, cohort, accepted, reason, code):
        with pytest.raises(ApplicationError) as caught:
            pair_dissolve(pair=accepted, actor=cohort.officer, reason=reason, now=NOW)

        assert caught.value.code == code
        accepted.refresh_from_db()
        assert accepted.decision == PairDecision.ACCEPTED

    @pytest.mark.parametrize("who, allowed", [
        ("coordinator officer", True), ("staff", True), ("other coordinator officer", False),
        ("coordinator viewer", False), ("nobody", False),
    ])
    def test_whoever_may_accept_the_run_may_dissolve_its_pairs(self, cohort, accepted, who, allowed):
        actor = {
            "coordinator officer": lambda: cohort.officer,
            "staff": StaffFactory,
            "other coordinator officer": lambda: MembershipFactory(
                organisation=OrganisationFactory(is_coordinator=True),
                role=MembershipRole.OFFICER).user,
            "coordinator viewer": lambda: MembershipFactory(
                organisation=cohort.coordinator, role=MembershipRole.VIEWER).user,
            "nobody": UserFactory,
        }[who]()

        if allowed:
            pair_dissolve(pair=accepted, actor=actor, reason="Why not.", now=NOW)
        else:
            with pytest.raises(NotAllowed):
                pair_dissolve(pair=accepted, actor=actor, reason="Why not.", now=NOW)

        accepted.refresh_from_db()
        assert accepted.decision == (PairDecision.DISSOLVED if allowed else PairDecision.ACCEPTED)

    def test_the_database_refuses_a_coordinators_dissolution_without_reason(self, cohort, accepted):
        with pytest.raises(IntegrityError), transaction.atomic():
            PairDissolution.objects.create(
                pairing=accepted.pairing, french=cohort.camille, foreign=cohort.awa,
                cause=DissolutionCause.COORDINATOR, reason="", occurred_at=NOW)


class TestDissolvedWhenAPlacementEnds:
    def test_cancelling_one_placement_dissolves_its_pair(self, cohort, accepted):
        staff = StaffFactory()

        placement_cancel(placement=cohort.awa, actor=staff, reason="Visa refused.",
                         on=datetime.date(2026, 11, 26))

        accepted.refresh_from_db()
        assert accepted.decision == PairDecision.DISSOLVED
        dissolution = accepted.pairing.dissolution
        assert dissolution.cause == DissolutionCause.PLACEMENT_CANCELLED
        assert (dissolution.ended_placement, dissolution.actor) == (cohort.awa, staff)
        assert dissolution.reason == "Visa refused."
        assert placement_partner(placement=cohort.camille, user=staff) is None

    def test_interrupting_one_placement_dissolves_its_pair(self, cohort, accepted):
        staff = StaffFactory()
        placement_start(placement=cohort.camille, actor=staff, on=datetime.date(2027, 9, 15))

        placement_interrupt(placement=cohort.camille, actor=staff, on=datetime.date(2027, 10, 1),
                            reason="Illness.")

        dissolution = accepted.pairing.dissolution
        assert dissolution.cause == DissolutionCause.PLACEMENT_INTERRUPTED
        assert dissolution.ended_placement == cohort.camille
        assert not PairingMember.objects.filter(placement=cohort.awa).exists()

    def test_starting_a_placement_keeps_its_pair(self, cohort, accepted):
        placement_start(placement=cohort.camille, actor=StaffFactory(),
                        on=datetime.date(2027, 9, 15))

        accepted.refresh_from_db()
        assert accepted.decision == PairDecision.ACCEPTED
        assert PairingMember.objects.filter(placement=cohort.camille).exists()

    def test_a_pairing_made_outside_a_run_is_dissolved_too(self, cohort):
        pairing = pairing_create(french=cohort.camille, foreign=cohort.awa, created_by=None)

        placement_cancel(placement=cohort.camille, actor=StaffFactory(), reason="Gone.",
                         on=datetime.date(2026, 11, 26))

        assert pairing.dissolution.cause == DissolutionCause.PLACEMENT_CANCELLED
        assert not pairing.members.exists()

    def test_a_cancellation_rolled_back_keeps_the_pair(self, cohort, accepted):
        with pytest.raises(RuntimeError), transaction.atomic():
            placement_cancel(placement=cohort.awa, actor=StaffFactory(), reason="Dry run.",
                             on=datetime.date(2026, 11, 26))
            raise RuntimeError

        accepted.refresh_from_db()
        assert accepted.decision == PairDecision.ACCEPTED
        assert PairingMember.objects.filter(placement=cohort.awa).exists()
        cohort.awa.refresh_from_db()
        assert cohort.awa.status == PlacementStatus.CONFIRMED
