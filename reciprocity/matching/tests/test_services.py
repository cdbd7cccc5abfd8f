"""Creating, executing and reviewing runs, with the refusals."""

import datetime

import pytest
from django.utils import timezone

from reciprocity.accounts.models import MembershipRole
from reciprocity.accounts.tests.factories import MembershipFactory, UserFactory
from reciprocity.core.exceptions import (
    ApplicationError,
    CapacityExceeded,
    InvalidTransition,
    NotAllowed,
)
from reciprocity.matching import services
from reciprocity.matching.comparison import runs_compare
from reciprocity.matching.models import ProposalDecision, RunStatus
from reciprocity.matching.tests.conftest import SEASON, Season, apply, workcamp
from reciprocity.placements.models import Placement, PlacementStatus
from reciprocity.placements.tests.factories import PlacementFactory
from reciprocity.volunteers.tests.factories import VolunteerFactory
from reciprocity.workflow.services import application_withdraw

pytestmark = pytest.mark.django_db

# The suite's frozen moment (root conftest), passed in as the edges would.
NOW = datetime.datetime(2026, 11, 26, 9, tzinfo=datetime.UTC)


def executed(season: Season, **kwargs: object):  # type: ignore[no-untyped-def]
    fields = {"created_by": season.staff, "season_start": SEASON[0], "season_end": SEASON[1],
              "mode": "optimal", "time_limit": 3, "start": False}
    fields.update(kwargs)
    run = services.run_create(**fields)  # type: ignore[arg-type]
    return services.run_execute(run=run, clock=timezone.now)


def test_execute_places_optimally_and_stores_figures(season: Season) -> None:
    run = executed(season)
    assert run.status == RunStatus.SUCCEEDED, run.error
    assert list(run.history.values_list("to_status", flat=True)) == ["queued", "running", "succeeded"]
    placed = {p.volunteer_id: (p.mission_id, p.rank) for p in run.proposals.all()}
    # Camp A has one place left and takes one Senegalese; camp B one place: Moussa gets his
    # first choice, and one of Awa and Binta hers. The third is unplaced, with a reason.
    assert placed[season.moussa.pk] == (season.camp_b.pk, 1)
    assert len(placed) == 2 and all(rank == 1 for _m, rank in placed.values())
    unplaced = run.unplaced.get()
    assert unplaced.volunteer_id in {season.awa.pk, season.binta.pk}
    assert unplaced.reason in {"nationality_cap", "choices_full"}
    assert "“Camp A”" in unplaced.explanation  # missions named by title, not by instance id
    assert (run.volunteers_count, run.placed_count, run.fixed_count) == (3, 2, 1)
    assert run.placed_percent == pytest.approx(200 / 3)
    assert run.first_choice_percent == 100 and run.mean_rank == 1
    assert run.worst_nationality == "SN"
    assert run.objective == 103 and run.result_status == "optimal" and run.gap == 0
    assert run.progress == 100 and run.finished_at is not None


def test_compare_with_first_come_first_served(season: Season) -> None:
    run = executed(season)
    row = runs_compare(runs=[run])[0]
    # FCFS: Awa takes camp A, Binta falls back to camp B (rank 2), Moussa is left out.
    assert row["fcfs"]["placed"] == 2 and row["fcfs"]["first_choice_percent"] == 50
    assert row["fcfs_objective"] == 104 and row["objective"] == 103


def test_agreement_tolerance_limits_the_flow(season: Season) -> None:
    season.agreement.tolerance = 1
    season.agreement.save()
    run = executed(season, mode="stable")
    assert run.status == RunStatus.SUCCEEDED, run.error
    assert run.placed_count == 1
    assert set(run.unplaced.values_list("reason", flat=True)) <= {
        "reciprocity_tolerance", "nationality_cap", "choices_full", "gender_balance"}
    assert "reciprocity_tolerance" in set(run.unplaced.values_list("reason", flat=True))


def test_preview_mode_keeps_every_rule(season: Season) -> None:
    run = executed(season, mode="preview")
    assert run.status == RunStatus.SUCCEEDED
    per_mission = {}
    for p in run.proposals.all():
        per_mission.setdefault(p.mission_id, []).append(p.nationality)
    assert len(per_mission.get(season.camp_a.pk, [])) <= 1
    assert len(per_mission.get(season.camp_b.pk, [])) <= 1


def test_accept_all_turns_proposals_into_proposed_placements(season: Season) -> None:
    run = executed(season)
    placements = services.run_accept(run=run, actor=season.staff, now=NOW)
    assert len(placements) == 2
    for placement in placements:
        assert placement.status == PlacementStatus.PROPOSED
        assert placement.history.get().to_status == PlacementStatus.PROPOSED
        proposal = placement.run_proposal
        assert proposal.decision == ProposalDecision.ACCEPTED
        assert placement.application_id == proposal.choice.application_id
    # Nothing left to accept, and a new run keeps these proposed placements.
    with pytest.raises(ApplicationError) as exc:
        services.run_accept(run=run, actor=season.staff, now=NOW)
    assert exc.value.code == "nothing_to_accept"
    again = executed(season)
    assert again.fixed_count == 3 and again.placed_count == 0


def test_accept_some_and_reject_others(season: Season) -> None:
    run = executed(season)
    moussa = run.proposals.get(volunteer=season.moussa)
    other = run.proposals.exclude(pk=moussa.pk).get()
    assert len(services.run_accept(run=run, actor=season.staff, now=NOW, proposals=[moussa])) == 1
    assert services.run_reject(run=run, actor=season.staff, proposals=[other.pk], now=NOW) == 1
    other.refresh_from_db()
    assert other.decision == ProposalDecision.REJECTED and other.placement is None


def test_accept_refused_when_the_mission_filled_up_since(season: Season) -> None:
    run = executed(season)
    PlacementFactory(volunteer=VolunteerFactory(nationality="ML"), mission=season.camp_b)
    with pytest.raises(CapacityExceeded) as exc:
        services.run_accept(run=run, actor=season.staff, now=NOW)
    assert exc.value.code == "proposals_refused"
    assert [p["code"] for p in exc.value.details["problems"]] == ["mission_full"]
    # All or nothing: no proposal became a placement.
    assert not run.proposals.filter(decision=ProposalDecision.ACCEPTED).exists()
    assert not Placement.objects.filter(status=PlacementStatus.PROPOSED).exists()


def test_accept_refused_when_the_application_was_withdrawn(season: Season) -> None:
    run = executed(season)
    application_withdraw(today=timezone.localdate(), actor=season.staff, application=season.applications["moussa"])
    with pytest.raises(CapacityExceeded) as exc:
        services.run_accept(run=run, actor=season.staff, now=NOW)
    assert [p["code"] for p in exc.value.details["problems"]] == ["application_closed"]


def test_only_staff_and_coordinator_officers_create_and_accept(season: Season) -> None:
    viewer = UserFactory()
    MembershipFactory(user=viewer, organisation=season.coordinator, role=MembershipRole.VIEWER)
    host_officer = UserFactory()
    MembershipFactory(user=host_officer, organisation=season.host, role=MembershipRole.ADMIN)
    for user in (viewer, host_officer):
        with pytest.raises(NotAllowed):
            services.run_create(created_by=user, season_start=SEASON[0], season_end=SEASON[1],
                                start=False)
    run = services.run_create(created_by=season.coordinator_user, season_start=SEASON[0],
                              season_end=SEASON[1], start=False)
    assert run.organisation == season.coordinator
    staff_run = executed(season)
    with pytest.raises(NotAllowed):  # a staff run belongs to no coordinator organisation
        services.run_accept(run=staff_run, actor=season.coordinator_user, now=NOW)


def test_create_refuses_an_empty_or_inverted_scope(season: Season) -> None:
    with pytest.raises(ApplicationError) as exc:
        services.run_create(created_by=season.staff, start=False)
    assert "scope" in exc.value.details
    with pytest.raises(ApplicationError) as exc:
        services.run_create(created_by=season.staff, season_start=SEASON[1],
                            season_end=SEASON[0], time_limit=0, start=False)
    assert {"season", "time_limit"} <= set(exc.value.details)


def test_a_run_executes_once_and_accepts_only_when_succeeded(season: Season) -> None:
    run = services.run_create(created_by=season.staff, missions=[season.camp_a], start=False)
    with pytest.raises(InvalidTransition):
        services.run_accept(run=run, actor=season.staff, now=NOW)
    run = services.run_execute(run=run, clock=timezone.now)
    with pytest.raises(InvalidTransition):
        services.run_execute(run=run, clock=timezone.now)


def test_dispatch_after_commit_inline(season: Season, settings, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    settings.MATCHING_RUNNER = "inline"
    with django_capture_on_commit_callbacks(execute=True):
        run = services.run_create(created_by=season.staff, season_start=SEASON[0],
                                  season_end=SEASON[1], time_limit=2)
    run.refresh_from_db()
    assert run.status == RunStatus.SUCCEEDED


def test_stale_running_runs_are_failed(season: Season) -> None:
    run = services.run_create(created_by=season.staff, missions=[season.camp_a], start=False)
    run.status, run.started_at = RunStatus.RUNNING, run.created_at - datetime.timedelta(hours=2)
    run.save()
    assert services.runs_fail_stale(older_than_seconds=60, now=NOW) == [run]
    run.refresh_from_db()
    assert run.status == RunStatus.FAILED


def test_unplaced_without_eligible_choice_says_which_were_left_out(season: Season) -> None:
    from reciprocity.matching.tests.conftest import apply, workcamp

    camp = workcamp(season.host, title="Early camp", start_date=datetime.date(2027, 6, 10),
                    end_date=datetime.date(2027, 7, 15))
    busy = VolunteerFactory(first_name="Busy", sending_organisation=season.sender)
    PlacementFactory(volunteer=busy, mission=workcamp(season.host, title="Other camp",
                     start_date=datetime.date(2027, 1, 1), end_date=datetime.date(2027, 12, 31)))
    apply(busy, [camp], minutes=20)
    run = executed(season)
    row = run.unplaced.get(volunteer=busy)
    assert row.reason == "no_choice"
    assert "“Early camp” (already placed or proposed elsewhere at that time)" in row.explanation


def test_unplaced_explanations_follow_the_readers_language(season) -> None:  # type: ignore[no-untyped-def]
    from django.utils import translation

    from reciprocity.matching.models import RunUnplaced
    from reciprocity.matching.services import run_create, run_execute

    run = run_create(created_by=season.staff, missions=[season.camp_b], mode="optimal",
                     time_limit=5, start=False)
    run_execute(run=run, clock=timezone.now)
    unplaced = RunUnplaced.objects.filter(run=run).first()
    assert unplaced is not None and unplaced.explanation_parts
    with translation.override("en"):
        english = unplaced.explanation_localised
    with translation.override("fr"):
        french = unplaced.explanation_localised
    assert english.startswith("Not placed:") and "Camp B" in english
    assert french.startswith("Non affecté :") and "Camp B" in french


def test_a_run_stores_requirement_reasons_in_the_readers_language(season: Season) -> None:
    adults = workcamp(season.host, title="Adults only", start_date=datetime.date(2027, 7, 5),
                      end_date=datetime.date(2027, 7, 25), age_min=21)
    young = VolunteerFactory(birth_date=datetime.date(2006, 7, 6), sending_organisation=season.sender)
    apply(young, [adults], minutes=40)
    run = executed(season)
    unplaced = run.unplaced.get(volunteer=young)
    assert unplaced.reason == "age_limit"
    assert unplaced.explanation_in("en") == (
        "Not placed: too young for “Adults only”: 20 on 2027-07-05, minimum 21.")
    assert unplaced.explanation_in("fr") == (
        "Non affecté : trop jeune pour “Adults only” : 20 ans le 2027-07-05, minimum 21.")
