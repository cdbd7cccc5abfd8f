"""Building the engine instance from the database: scope, open applications, eligibility,
kept placements, capacities and agreements."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reciprocity.agreements.tests.factories import AgreementFactory
from reciprocity.matching.building import instance_build
from reciprocity.matching.models import PlacementRun
from reciprocity.matching.tests.conftest import SEASON, Season, apply, workcamp
from reciprocity.missions.tests.factories import MissionFactory
from reciprocity.partners.tests.factories import OrganisationFactory
from reciprocity.placements.engine import parse_instance
from reciprocity.placements.models import PlacementStatus
from reciprocity.placements.tests.factories import PlacementFactory
from reciprocity.volunteers.tests.factories import VolunteerFactory

pytestmark = pytest.mark.django_db


def season_run(season: Season, **kwargs: object) -> PlacementRun:
    fields = {"season_start": SEASON[0], "season_end": SEASON[1], "created_by": season.staff}
    fields.update(kwargs)
    return PlacementRun.objects.create(**fields)


def test_instance_holds_open_applications_in_order_with_kept_placements(season: Season) -> None:
    built = instance_build(run=season_run(season))
    data = built.instance
    parse_instance(data)  # valid for the engine
    a, b = f"m{season.camp_a.pk}", f"m{season.camp_b.pk}"
    assert [m["id"] for m in data["missions"]] == [a, b]  # the November camp is out of season
    free = [v for v in data["volunteers"] if v["id"].startswith("v")]
    assert [v["id"] for v in free] == [f"v{season.awa.pk}", f"v{season.binta.pk}", f"v{season.moussa.pk}"]
    assert free[0]["choices"] == [a, b]  # the out-of-season choice is not in the instance
    assert free[2] == {"id": f"v{season.moussa.pk}", "nationality": "SN", "gender": "M",
                       "choices": [b, a], "birth_date": "2003-05-17",
                       "languages": [{"code": "fr", "level": "C1"}]}
    # The confirmed placement is kept; the engine subtracts it from camp A's capacity itself.
    assert data["fixed"] == [{"volunteer": f"p{season.kept.pk}", "mission": a}]
    camp_a = next(m for m in data["missions"] if m["id"] == a)
    assert camp_a == {"id": a, "capacity": 2, "host_country": "FR", "max_per_nationality": 1,
                      "gender_tolerance": 1, "start_date": "2027-07-01", "age_min": None,
                      "age_max": None, "languages": []}
    refs = built.references["volunteers"][f"v{season.awa.pk}"]
    assert refs["choices"] == [season.choice(season.awa, season.camp_a).pk,
                               season.choice(season.awa, season.camp_b).pk]


def test_agreement_between_the_parties_countries_with_quota_left(season: Season) -> None:
    # A placement of the agreement outside the run uses one of the four SN -> FR places.
    PlacementFactory(mission=workcamp(season.host, start_date=datetime.date(2027, 3, 1),
                                      end_date=datetime.date(2027, 3, 20)),
                     agreement=season.agreement)
    built = instance_build(run=season_run(season))
    assert built.instance["agreements"] == [{"countries": ["FR", "SN"], "tolerance": 3, "max": [10, 3]}]


def test_programme_and_mission_scope_narrow_the_season(season: Season) -> None:
    run = season_run(season)
    run.missions.set([season.camp_b])
    built = instance_build(run=run)
    assert [m["id"] for m in built.instance["missions"]] == [f"m{season.camp_b.pk}"]
    assert built.instance["fixed"] == []
    # Binta chose only camps A and B: she keeps camp B alone.
    binta = next(v for v in built.instance["volunteers"] if v["id"] == f"v{season.binta.pk}")
    assert binta["choices"] == [f"m{season.camp_b.pk}"]


def test_ineligible_choices_are_dropped_and_listed(season: Season) -> None:
    # Service Civique stops at 25 (30 with a disability): a 47-year-old is not eligible.
    sc = MissionFactory(host=season.host, scheme_id="service_civique", title="SC mission",
                        start_date=datetime.date(2027, 7, 1), end_date=datetime.date(2027, 12, 31))
    older = VolunteerFactory(birth_date=datetime.date(1980, 1, 1),
                             sending_organisation=season.sender)
    apply(older, [sc, season.camp_a], minutes=9)
    built = instance_build(run=season_run(season))
    entry = next(v for v in built.instance["volunteers"] if v["id"] == f"v{older.pk}")
    assert entry["choices"] == [f"m{season.camp_a.pk}"]
    dropped = [d for d in built.references["dropped"] if d["volunteer"] == older.pk]
    assert dropped[0]["mission"] == sc.pk and "age_above_maximum" in dropped[0]["reasons"]
    assert any(w["code"] == "ineligible_choices" for w in built.warnings)


def test_choice_overlapping_a_placement_elsewhere_is_dropped(season: Season) -> None:
    elsewhere = workcamp(season.host, title="Elsewhere", start_date=datetime.date(2027, 5, 1),
                         end_date=datetime.date(2027, 7, 5))
    PlacementFactory(volunteer=season.binta, mission=elsewhere, status=PlacementStatus.PROPOSED)
    built = instance_build(run=season_run(season))
    binta = next(v for v in built.instance["volunteers"] if v["id"] == f"v{season.binta.pk}")
    assert binta["choices"] == []  # both camps start before the other placement ends


def test_rules_already_broken_by_kept_placements_are_widened_not_failed(season: Season) -> None:
    # Two CI volunteers kept on camp A (cap 1 per nationality): the run adds no third.
    PlacementFactory(volunteer=VolunteerFactory(nationality="CI", gender="F"), mission=season.camp_a)
    built = instance_build(run=season_run(season))
    parse_instance(built.instance)  # still a valid instance
    camp_a = next(m for m in built.instance["missions"] if m["id"] == f"m{season.camp_a.pk}")
    assert camp_a["max_per_nationality"] == 2
    assert any(w["code"] == "nationality_cap_exceeded" for w in built.warnings)


def test_a_coordinator_run_reads_only_applications_its_author_may_see(season: Season) -> None:
    other_sender = VolunteerFactory().sending_organisation
    stranger = VolunteerFactory(sending_organisation=other_sender)
    apply(stranger, [season.camp_a], minutes=10)
    # The coordinator sees nothing of this season's applications but through a programme it
    # coordinates: here none, so no volunteer is read.
    built = instance_build(run=season_run(season, created_by=season.coordinator_user))
    assert [v["id"] for v in built.instance["volunteers"]] == [f"p{season.kept.pk}"]
    staff_built = instance_build(run=season_run(season))
    assert f"v{stranger.pk}" in {v["id"] for v in staff_built.instance["volunteers"]}


def test_withdrawn_and_draft_applications_are_not_read(season: Season) -> None:
    built = instance_build(run=season_run(season))
    names = {v["id"] for v in built.instance["volunteers"]}
    # Three open volunteers and the kept placement; the draft and the withdrawn one are out.
    assert len(names) == 4


def test_a_staff_run_for_a_coordinator_holds_only_what_the_coordinator_may_see(season: Season) -> None:
    run = season_run(season, organisation=season.coordinator)
    assert [v["id"] for v in instance_build(run=run).instance["volunteers"]] == [f"p{season.kept.pk}"]
    # Once the coordinator coordinates the applications' programme, they are in.
    from reciprocity.agreements.tests.factories import ProgrammeFactory

    programme = ProgrammeFactory(coordinator=season.coordinator)
    season.applications["awa"].programme = programme
    season.applications["awa"].save()
    ids = {v["id"] for v in instance_build(run=run).instance["volunteers"]}
    assert ids == {f"p{season.kept.pk}", f"v{season.awa.pk}"}


def test_mission_requirements_and_volunteer_facts_reach_the_engine(season: Season) -> None:
    """Age bounds on the start date and required languages come from the records; the engine
    refuses who does not meet them and says which rule (reason and words)."""
    from reciprocity.placements.engine import solve

    adults = workcamp(season.host, title="Adults only", capacity=5, max_per_nationality=5,
                      gender_tolerance=None, start_date=datetime.date(2027, 7, 5),
                      end_date=datetime.date(2027, 7, 25), age_min=21, age_max=30,
                      required_languages=[{"code": "FR", "level": "B1"}, {"code": "en", "level": ""},
                                          {"code": "french", "level": "B1"}])
    young = VolunteerFactory(first_name="Young", birth_date=datetime.date(2006, 7, 6),
                             languages=[{"code": "fr", "level": "C1"}, {"code": "en"}],
                             sending_organisation=season.sender)
    weak = VolunteerFactory(first_name="Weak", birth_date=datetime.date(2000, 1, 1),
                            languages=[{"code": "fr", "level": 2}, {"code": "en", "level": "?"}],
                            sending_organisation=season.sender)
    fine = VolunteerFactory(first_name="Fine", birth_date=datetime.date(2006, 7, 5),
                            languages=[{"code": "fr", "level": "a2"}, {"code": "fr", "level": "B2"},
                                       {"code": "en", "level": "A1"}],
                            sending_organisation=season.sender)
    for i, person in enumerate((young, weak, fine)):
        apply(person, [adults], minutes=20 + i)
    built = instance_build(run=season_run(season))
    key = f"m{adults.pk}"
    mission = next(m for m in built.instance["missions"] if m["id"] == key)
    assert mission | {"capacity": 0} == {
        "id": key, "capacity": 0, "host_country": "FR", "max_per_nationality": 5,
        "gender_tolerance": None, "start_date": "2027-07-05", "age_min": 21, "age_max": 30,
        "languages": [{"code": "fr", "level": "B1"}, {"code": "en", "level": None}]}
    assert any(w["code"] == "required_language_unreadable" for w in built.warnings)
    entries = {v["id"]: v for v in built.instance["volunteers"]}
    # The highest of two levels of one language; an unreadable level counts as unstated.
    assert entries[f"v{fine.pk}"]["languages"] == [{"code": "fr", "level": "B2"},
                                                   {"code": "en", "level": "A1"}]
    assert entries[f"v{weak.pk}"]["languages"] == [{"code": "fr", "level": "A2"},
                                                   {"code": "en", "level": None}]
    assert entries[f"v{young.pk}"]["birth_date"] == "2006-07-06"
    for mode in ("optimal", "preview", "stable"):
        result = solve(parse_instance(built.instance), mode=mode, time_limit=3)
        placed = {a.volunteer for a in result.assignments if a.mission == key}
        assert placed == {f"v{fine.pk}"}
        unplaced = {u.volunteer: u for u in result.unplaced}
        assert unplaced[f"v{young.pk}"].reason == "age_limit"
        assert f"too young for {key}: 20 on 2027-07-05, minimum 21" in (
            unplaced[f"v{young.pk}"].explanation)
        assert unplaced[f"v{weak.pk}"].reason == "language_requirement"


def test_a_kept_placement_on_a_mission_with_an_age_limit_carries_the_birth_date(season: Season) -> None:
    # The engine refuses an instance whose kept volunteer faces an age limit without a birth
    # date ("the volunteer's birth date is not known"): the whole run used to fail.
    season.camp_a.age_min, season.camp_a.age_max = 18, 30
    season.camp_a.save(update_fields=["age_min", "age_max"])

    built = instance_build(run=season_run(season))

    parse_instance(built.instance)
    kept = next(v for v in built.instance["volunteers"] if v["id"] == f"p{season.kept.pk}")
    assert kept["birth_date"] == season.kept.volunteer.birth_date.isoformat()


def test_queries_do_not_grow_with_applications_hosts_and_agreements(  # type: ignore[no-untyped-def]
    season: Season, django_assert_max_num_queries
) -> None:
    """Eligibility inputs are read in batches: one query per kind of record, not one per
    choice, host, mission or agreement (a 10,000-volunteer season took minutes)."""
    run = season_run(season)
    with CaptureQueriesContext(connection) as small:
        instance_build(run=run)
    for n in range(4):
        host = OrganisationFactory(name=f"Host {n}", country="FR")
        sender = OrganisationFactory(name=f"Sender {n}", country="CI" if n % 2 else "ML", is_host=False)
        AgreementFactory(party_a=season.coordinator, party_b=sender, tolerance=2,
                         quota_a_to_b=5, quota_b_to_a=5)
        camps = [workcamp(host, title=f"Camp {n}.{i}", capacity=3) for i in range(3)]
        PlacementFactory(mission=camps[0], volunteer=VolunteerFactory(
            nationality=str(sender.country), residence_country=str(sender.country)))
        for i in range(3):
            volunteer = VolunteerFactory(nationality=str(sender.country),
                                         residence_country=str(sender.country),
                                         sending_organisation=sender)
            apply(volunteer, [camps[i], camps[(i + 1) % 3], season.camp_a], minutes=10 + 3 * n + i)
    with django_assert_max_num_queries(len(small)):
        built = instance_build(run=run)
    assert len([v for v in built.instance["volunteers"] if v["id"].startswith("v")]) == 15
    assert len(built.instance["agreements"]) == 3
