"""Pairing runs (binômes): the programme's cohort paired by the engine, stored, accepted as
`placements.Pairing` rows, refused when stale, cancelled."""

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from reciprocity.accounts.models import MembershipRole
from reciprocity.accounts.tests.factories import MembershipFactory, StaffFactory, UserFactory
from reciprocity.core.exceptions import ApplicationError, InvalidTransition, NotAllowed
from reciprocity.matching.models import ProposalDecision, RunStatus
from reciprocity.matching.pairing_services import (
    pairing_run_accept,
    pairing_run_cancel,
    pairing_run_create,
    pairing_run_execute,
    pairing_run_reject,
)
from reciprocity.matching.tests.conftest import PAIRING_SEASON, cohort_placement
from reciprocity.missions.models import Theme
from reciprocity.partners.tests.factories import OrganisationFactory
from reciprocity.placements.models import PairingMember, Placement, PlacementStatus
from reciprocity.placements.selectors import placement_partner
from reciprocity.placements.services import pairing_create

pytestmark = pytest.mark.django_db

# The suite's frozen moment (root conftest), passed in as the edges would.
NOW = datetime.datetime(2026, 11, 26, 9, tzinfo=datetime.UTC)


class TestPairingRunCreateAndExecute:
    def test_the_run_pairs_the_programmes_season_cohort_through_the_task_layer(self, cohort, run_for):
        run = run_for(cohort, label="WECCEE 2027")

        assert run.status == RunStatus.SUCCEEDED
        assert run.organisation == cohort.coordinator
        assert (run.french_count, run.foreign_count, run.pairs_count) == (2, 2, 1)
        [pair] = run.pairs.all()
        # Same theme beats a different one: Camille goes with Awa.
        assert (pair.french, pair.foreign) == (cohort.camille, cohort.awa)
        assert pair.shared_languages == ["fr"] and pair.shared_themes == [Theme.ENVIRONMENT]
        assert pair.overlap_start == datetime.date(2027, 9, 15)
        assert pair.overlap_end == datetime.date(2028, 2, 28)
        assert pair.score == run.total_score
        unpaired = {u.placement_id: (u.reason, u.candidates) for u in run.unpaired.all()}
        assert unpaired == {cohort.louis.pk: ("no_compatible_partner", 0),
                            cohort.binta.pk: ("partners_taken", 1)}
        assert [h.to_status for h in run.history.order_by("pk")] == ["queued", "running", "succeeded"]

    def test_placements_out_of_the_programme_season_or_statuses_are_not_read(self, cohort, run_for):
        cohort_placement(cohort.host, cohort.programme, name="Gone", nationality="FR", languages=["fr"],
                  status=PlacementStatus.CANCELLED)

        run = run_for(cohort)

        ids = {p["id"] for side in ("french", "foreign") for p in run.instance[side]}
        assert ids == {f"p{p.pk}" for p in (cohort.camille, cohort.louis, cohort.awa, cohort.binta)}

    def test_already_paired_placements_are_left_out(self, cohort, run_for):
        pairing_create(french=cohort.camille, foreign=cohort.awa, created_by=None)

        run = run_for(cohort)

        assert run.french_count == 1 and run.foreign_count == 1 and run.pairs_count == 0

    def test_only_the_programmes_coordinator_officers_and_staff_may_run_it(self, cohort):
        stranger = MembershipFactory(organisation=OrganisationFactory(is_coordinator=True),
                                     role=MembershipRole.OFFICER).user
        with pytest.raises(NotAllowed):
            pairing_run_create(created_by=stranger, programme=cohort.programme,
                               season_start=PAIRING_SEASON[0], season_end=PAIRING_SEASON[1])
        with pytest.raises(NotAllowed):
            pairing_run_create(created_by=UserFactory(), programme=cohort.programme,
                               season_start=PAIRING_SEASON[0], season_end=PAIRING_SEASON[1])
        run = pairing_run_create(created_by=StaffFactory(), programme=cohort.programme,
                                 season_start=PAIRING_SEASON[0], season_end=PAIRING_SEASON[1], start=False)
        assert run.status == RunStatus.QUEUED and run.organisation == cohort.coordinator

    def test_a_season_ending_before_it_starts_is_refused(self, cohort):
        with pytest.raises(ApplicationError) as caught:
            pairing_run_create(created_by=cohort.officer, programme=cohort.programme,
                               season_start=PAIRING_SEASON[1], season_end=PAIRING_SEASON[0])
        assert caught.value.code == "invalid_run"


class TestAccept:
    def test_accepting_makes_a_binome_shown_on_both_placements(self, cohort, run_for):
        run = run_for(cohort)

        [pairing] = pairing_run_accept(run=run, actor=cohort.officer, now=NOW)

        assert {m.placement_id: m.side for m in pairing.members.all()} == {
            cohort.camille.pk: "french", cohort.awa.pk: "foreign"}
        pair = run.pairs.get()
        assert pair.decision == ProposalDecision.ACCEPTED and pair.pairing == pairing
        partner = placement_partner(placement=cohort.awa, user=cohort.officer)
        assert partner is not None and partner.placement is None  # the officer may not see it
        staff_view = placement_partner(placement=cohort.awa, user=StaffFactory())
        assert staff_view is not None and staff_view.placement == cohort.camille
        assert placement_partner(placement=cohort.louis, user=cohort.officer) is None

    def test_a_placement_changed_since_the_run_makes_the_run_stale(self, cohort, run_for):
        run = run_for(cohort)
        Placement.objects.filter(pk=cohort.awa.pk).update(end_date=datetime.date(2028, 1, 31))

        with pytest.raises(ApplicationError) as caught:
            pairing_run_accept(run=run, actor=cohort.officer, now=NOW)

        assert caught.value.code == "stale_run"
        assert caught.value.details["problems"][0]["placement"] == cohort.awa.pk
        assert not PairingMember.objects.exists()
        assert run.pairs.get().decision == ProposalDecision.PENDING

    def test_a_cancelled_placement_or_one_paired_meanwhile_makes_it_stale(self, cohort, run_for):
        run = run_for(cohort)
        pairing_create(french=cohort.louis, foreign=cohort.awa, created_by=None)

        with pytest.raises(ApplicationError, match="paired since the run"):
            pairing_run_accept(run=run, actor=cohort.officer, now=NOW)

    def test_a_placement_is_in_one_pairing_at_most_in_the_database(self, cohort):
        pairing_create(french=cohort.camille, foreign=cohort.awa, created_by=None)

        with pytest.raises(IntegrityError), transaction.atomic():
            pairing_create(french=cohort.louis, foreign=cohort.awa, created_by=None)

    def test_rejected_pairs_are_set_aside_and_cannot_be_accepted(self, cohort, run_for):
        run = run_for(cohort)
        pair = run.pairs.get()

        assert pairing_run_reject(run=run, actor=cohort.officer, pairs=[pair.pk], now=NOW) == 1

        with pytest.raises(ApplicationError) as caught:
            pairing_run_accept(run=run, actor=cohort.officer, now=NOW, pairs=[pair.pk])
        assert caught.value.code == "unknown_pairs"

    def test_someone_outside_the_coordinator_may_not_accept(self, cohort, run_for):
        run = run_for(cohort)
        stranger = MembershipFactory(organisation=OrganisationFactory(is_coordinator=True),
                                     role=MembershipRole.OFFICER).user
        with pytest.raises(NotAllowed):
            pairing_run_accept(run=run, actor=stranger, now=NOW)


class TestCancel:
    def test_a_queued_run_is_cancelled_and_never_executed(self, cohort):
        run = pairing_run_create(created_by=cohort.officer, programme=cohort.programme,
                                 season_start=PAIRING_SEASON[0], season_end=PAIRING_SEASON[1], start=False)

        pairing_run_cancel(run=run, actor=cohort.officer, now=NOW)

        run.refresh_from_db()
        assert run.status == RunStatus.CANCELLED and run.finished_at is not None
        with pytest.raises(InvalidTransition):
            pairing_run_execute(run_id=run.pk, clock=timezone.now)
        with pytest.raises(InvalidTransition):
            pairing_run_cancel(run=run, actor=cohort.officer, now=NOW)
        assert not run.pairs.exists()

    def test_a_succeeded_run_cannot_be_cancelled_nor_accepted_twice(self, cohort, run_for):
        run = run_for(cohort)
        with pytest.raises(InvalidTransition):
            pairing_run_cancel(run=run, actor=cohort.officer, now=NOW)
        pairing_run_accept(run=run, actor=cohort.officer, now=NOW)
        with pytest.raises(ApplicationError) as caught:
            pairing_run_accept(run=run, actor=cohort.officer, now=NOW)
        assert caught.value.code == "nothing_to_accept"
