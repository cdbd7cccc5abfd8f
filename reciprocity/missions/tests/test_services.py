import datetime

import pytest

from reciprocity.core.exceptions import InvalidTransition, NotAllowed
from reciprocity.domain.dates import add_months
from reciprocity.missions import services
from reciprocity.missions.exceptions import MissionInvalid
from reciprocity.missions.models import Mission, MissionStatus, MissionStatusChange
from reciprocity.missions.selectors import mission_scheme_suspension
from reciprocity.missions.services import mission_errors
from reciprocity.missions.tests.conftest import TODAY, sc_data
from reciprocity.missions.tests.factories import MissionFactory
from reciprocity.placements.models import PlacementStatus
from reciprocity.placements.tests.factories import PlacementFactory
from reciprocity.schemes.models import SchemeSuspension

pytestmark = pytest.mark.django_db


def history(mission) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    return list(
        MissionStatusChange.objects.filter(mission=mission)
        .order_by("id").values_list("from_status", "to_status")
    )


def make(officer, host, **changes):  # type: ignore[no-untyped-def]
    return services.mission_create(actor=officer, host=host, data=sc_data(**changes), today=TODAY)


# --- create --------------------------------------------------------------------------------------


def test_create_makes_a_draft_with_a_history_row(host, officer, sc_rules):
    mission = make(officer, host, languages=["FR", "en", "fr"])
    assert mission.status == MissionStatus.DRAFT
    assert mission.host == host
    assert mission.languages == ["en", "fr"]
    assert history(mission) == [("", "draft")]
    assert mission.status_changes.get().actor == officer


def test_staff_may_create_for_any_host(host, staff):
    assert make(staff, host).host == host


@pytest.mark.parametrize("who", ["viewer", "other_officer", "outsider"])
def test_create_refused_to_non_writers(request, host, who):
    user = request.getfixturevalue(who)
    with pytest.raises(NotAllowed):
        make(user, host)


def test_create_refused_for_an_organisation_that_does_not_host(host, officer):
    host.is_host = False
    host.save()
    with pytest.raises(NotAllowed):
        make(officer, host)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"title": "  "}, "title"),
        ({"end_date": datetime.date(2027, 2, 1)}, "end_date"),
        ({"start_date": datetime.date(2026, 11, 1), "end_date": datetime.date(2027, 4, 30)},
         "start_date"),
        ({"start_date": datetime.date(9999, 12, 31), "end_date": datetime.date(9999, 12, 31)},
         "end_date"),
        ({"capacity": 0}, "capacity"),
        ({"capacity": 10**12}, "capacity"),
        ({"age_min": 24, "age_max": 20}, "age_max"),
        ({"age_min": -1}, "age_min"),
        ({"weekly_hours": 61}, "weekly_hours"),
        ({"country": "ZZ"}, "country"),
        ({"theme": "nope"}, "theme"),
        ({"scheme_code": "nope"}, "scheme_code"),
        ({"programme_code": "nope"}, "programme_code"),
        ({"languages": ["french"]}, "languages"),
        ({"max_per_nationality": 3}, "max_per_nationality"),
    ],
)
def test_create_refuses_invalid_data(host, officer, changes, field):
    with pytest.raises(MissionInvalid) as exc:
        make(officer, host, **changes)
    assert field in exc.value.details
    assert exc.value.code == "invalid_mission"


@pytest.mark.parametrize(
    ("changes", "field", "fragment"),
    [
        ({"end_date": datetime.date(2027, 8, 30)}, "end_date", "at least 6 months"),
        ({"end_date": datetime.date(2028, 3, 1)}, "end_date", "at most 12 months"),
        ({"weekly_hours": 20}, "weekly_hours", "at least 24"),
        ({"weekly_hours": 49}, "weekly_hours", "at most 48"),
        ({"weekly_hours": None}, "weekly_hours", "requires the weekly hours"),
        ({"age_min": 15}, "age_min", "younger than 16"),
        ({"age_max": 31}, "age_max", "older than 30"),
    ],
)
def test_service_civique_rules_are_applied(host, officer, sc_rules, changes, field, fragment):
    with pytest.raises(MissionInvalid) as exc:
        make(officer, host, **changes)
    assert any(fragment in message for message in exc.value.details[field])


def test_service_civique_limits_are_inclusive(host, officer, sc_rules):
    # Exactly 6 months (1 Mar–31 Aug) and exactly 12 months (1 Mar–29 Feb), 24 and 48 hours.
    shortest = make(officer, host, weekly_hours=24)
    longest = make(officer, host, end_date=datetime.date(2028, 2, 29), weekly_hours=48)

    assert Mission.objects.filter(pk__in=[shortest.pk, longest.pk]).count() == 2
    assert (shortest.weekly_hours, longest.weekly_hours) == (24, 48)
    assert longest.end_date == datetime.date(2028, 2, 29)


def test_rules_are_taken_from_the_version_in_force_on_the_start(host, officer, sc_rules):
    from reciprocity.schemes.models import SchemeRule

    SchemeRule.objects.create(
        scheme_id="service_civique", key="weekly_hours_min", value=30,
        effective_from=datetime.date(2027, 6, 1),
    )
    make(officer, host, weekly_hours=28)  # starts 1 Mar 2027: the old minimum of 24 applies
    with pytest.raises(MissionInvalid):
        make(officer, host, weekly_hours=28, start_date=datetime.date(2027, 6, 1),
             end_date=datetime.date(2027, 11, 30))


def test_without_scheme_rules_only_general_checks_apply(host, officer):
    mission = make(officer, host, weekly_hours=None, end_date=datetime.date(2027, 3, 10))
    assert mission.pk


def test_non_numeric_rule_values_are_ignored(host, officer):
    from reciprocity.schemes.models import SchemeRule

    SchemeRule.objects.create(
        scheme_id="service_civique", key="weekly_hours_min", value="lots",
        effective_from=datetime.date(2010, 1, 1),
    )
    assert mission_errors(sc_data(weekly_hours=1), today=TODAY) == {}


def test_add_months_clamps_to_the_end_of_the_month():
    assert add_months(datetime.date(2027, 1, 31), 1) == datetime.date(2027, 2, 28)
    assert add_months(datetime.date(2027, 11, 15), 3) == datetime.date(2028, 2, 15)


# --- update --------------------------------------------------------------------------------------


def test_update_a_draft_and_a_published_mission(host, officer, sc_rules):
    mission = make(officer, host)
    services.mission_update(mission=mission, actor=officer, data=sc_data(title="New"), today=TODAY)
    services.mission_publish(mission=mission, actor=officer, today=TODAY)
    services.mission_update(mission=mission, actor=officer, data=sc_data(city="Paris"), today=TODAY)
    mission.refresh_from_db()
    assert (mission.title, mission.city, mission.status) == ("Youth activities", "Paris", "published")


@pytest.mark.parametrize("status", [MissionStatus.CLOSED, MissionStatus.CANCELLED])
def test_update_refused_once_closed_or_cancelled(host, officer, status):
    mission = MissionFactory(host=host, status=status)
    with pytest.raises(InvalidTransition):
        services.mission_update(mission=mission, actor=officer, data=sc_data(), today=TODAY)


@pytest.mark.parametrize("who", ["viewer", "other_officer", "outsider"])
def test_update_refused_to_others(request, host, who):
    mission = MissionFactory(host=host)
    with pytest.raises(NotAllowed):
        services.mission_update(
            mission=mission, actor=request.getfixturevalue(who), data=sc_data(), today=TODAY
        )
    mission.refresh_from_db()
    assert mission.title != "Youth activities"


def test_capacity_cannot_drop_below_places_taken(host, officer):
    mission = MissionFactory(host=host, capacity=3)
    PlacementFactory.create_batch(2, mission=mission, status=PlacementStatus.CONFIRMED)
    PlacementFactory(mission=mission, status=PlacementStatus.CANCELLED)
    with pytest.raises(MissionInvalid) as exc:
        services.mission_update(mission=mission, actor=officer, data=sc_data(capacity=1),
                                today=TODAY)
    assert "2 places are already taken" in exc.value.details["capacity"][0]
    services.mission_update(mission=mission, actor=officer, data=sc_data(capacity=2), today=TODAY)


def test_a_running_mission_may_be_corrected_without_moving_its_start(host, officer):
    mission = MissionFactory(host=host, start_date=datetime.date(2026, 10, 1),
                             end_date=datetime.date(2027, 3, 31))
    data = sc_data(start_date=mission.start_date, end_date=mission.end_date, title="Typo fixed")
    services.mission_update(mission=mission, actor=officer, data=data, today=TODAY)
    with pytest.raises(MissionInvalid):
        services.mission_update(mission=mission, actor=officer,
                                data=data.replace(start_date=datetime.date(2026, 10, 2)),
                                today=TODAY)


# --- transitions ---------------------------------------------------------------------------------


def test_publish_then_close(host, officer):
    mission = make(officer, host)
    services.mission_publish(mission=mission, actor=officer, today=TODAY)
    services.mission_close(mission=mission, actor=officer)
    mission.refresh_from_db()
    assert mission.status == MissionStatus.CLOSED
    assert history(mission) == [("", "draft"), ("draft", "published"), ("published", "closed")]


@pytest.mark.parametrize("status", [MissionStatus.DRAFT, MissionStatus.PUBLISHED])
def test_cancel_from_draft_or_published(host, officer, status):
    mission = MissionFactory(host=host, status=status)
    services.mission_cancel(mission=mission, actor=officer, reason="Funding withdrawn")
    mission.refresh_from_db()
    assert mission.status == MissionStatus.CANCELLED
    change = mission.status_changes.get()
    assert (change.from_status, change.note) == (status, "Funding withdrawn")


REFUSED = [
    ("publish", MissionStatus.PUBLISHED),
    ("publish", MissionStatus.CLOSED),
    ("publish", MissionStatus.CANCELLED),
    ("close", MissionStatus.DRAFT),
    ("close", MissionStatus.CLOSED),
    ("close", MissionStatus.CANCELLED),
    ("cancel", MissionStatus.CLOSED),
    ("cancel", MissionStatus.CANCELLED),
]


@pytest.mark.parametrize(("action", "status"), REFUSED)
def test_illegal_transitions_are_refused_without_history(host, officer, action, status):
    mission = MissionFactory(host=host, status=status)
    kwargs = {"mission": mission, "actor": officer}
    if action == "publish":
        kwargs["today"] = TODAY
    if action == "cancel":
        kwargs["reason"] = "Because"
    with pytest.raises(InvalidTransition) as exc:
        getattr(services, f"mission_{action}")(**kwargs)
    assert exc.value.code == "invalid_transition"
    assert "cannot become" in exc.value.message
    mission.refresh_from_db()
    assert mission.status == status
    assert not mission.status_changes.exists()


@pytest.mark.parametrize("action", ["publish", "close", "cancel", "duplicate"])
@pytest.mark.parametrize("who", ["viewer", "other_officer", "outsider"])
def test_transitions_refused_to_others(request, host, action, who):
    mission = MissionFactory(host=host, status=MissionStatus.DRAFT if action == "publish"
                             else MissionStatus.PUBLISHED)
    kwargs = {"mission": mission, "actor": request.getfixturevalue(who)}
    if action == "publish":
        kwargs["today"] = TODAY
    if action == "cancel":
        kwargs["reason"] = "Because"
    with pytest.raises(NotAllowed):
        getattr(services, f"mission_{action}")(**kwargs)
    assert not mission.status_changes.exists()


def test_staff_may_run_every_transition(host, staff):
    mission = make(staff, host)
    services.mission_publish(mission=mission, actor=staff, today=TODAY)
    services.mission_close(mission=mission, actor=staff)
    assert services.mission_duplicate(mission=mission, actor=staff).status == MissionStatus.DRAFT


def test_publish_checks_the_mission_again(host, officer, sc_rules):
    # A draft copied from a past mission must get new dates before it is published.
    mission = MissionFactory(host=host, status=MissionStatus.DRAFT,
                             start_date=datetime.date(2025, 3, 1),
                             end_date=datetime.date(2025, 8, 31))
    with pytest.raises(MissionInvalid) as exc:
        services.mission_publish(mission=mission, actor=officer, today=TODAY)
    assert "start_date" in exc.value.details
    mission.refresh_from_db()
    assert mission.status == MissionStatus.DRAFT


def test_publish_is_allowed_while_the_scheme_is_suspended(host, officer):
    # A suspension stops new contracts, not offers: the mission page warns instead.
    SchemeSuspension.objects.create(scheme_id="service_civique",
                                    start=datetime.date(2027, 1, 1), reason="Budget freeze")
    mission = make(officer, host)
    services.mission_publish(mission=mission, actor=officer, today=TODAY)
    assert mission_scheme_suspension(mission=mission).reason == "Budget freeze"
    later = make(officer, host, start_date=datetime.date(2026, 12, 1),
                 end_date=datetime.date(2027, 5, 31))
    assert mission_scheme_suspension(mission=later) is None


def test_cancel_needs_a_reason_and_no_place_taken(host, officer):
    mission = MissionFactory(host=host)
    with pytest.raises(MissionInvalid):
        services.mission_cancel(mission=mission, actor=officer, reason="  ")
    with pytest.raises(MissionInvalid):
        services.mission_cancel(mission=mission, actor=officer, reason="nul\x00")
    PlacementFactory(mission=mission, status=PlacementStatus.CONFIRMED)
    with pytest.raises(InvalidTransition) as exc:
        services.mission_cancel(mission=mission, actor=officer, reason="Funding withdrawn")
    assert exc.value.code == "places_taken"
    services.mission_close(mission=mission, actor=officer)


@pytest.mark.parametrize("status", list(MissionStatus))
def test_duplicate_gives_a_draft_copy_from_any_status(host, officer, status):
    mission = MissionFactory(host=host, status=status, languages=["fr", "wo"], age_min=18,
                             max_per_nationality=2, gender_tolerance=1)
    copy = services.mission_duplicate(mission=mission, actor=officer)
    assert copy.pk != mission.pk
    assert copy.status == MissionStatus.DRAFT
    for name in ("title", "host_id", "scheme_id", "start_date", "end_date", "capacity",
                 "languages", "age_min", "max_per_nationality", "gender_tolerance", "city"):
        assert getattr(copy, name) == getattr(mission, name)
    change = copy.status_changes.get()
    assert change.to_status == "draft" and str(mission.pk) in change.note


# --- required languages (a hard rule of placement runs) ------------------------------------------


def test_required_languages_are_stored_normalised(host, officer):
    mission = make(officer, host, required_languages=[{"code": "FR", "level": "b1"},
                                                      {"code": "en", "level": ""}])
    mission.refresh_from_db()
    assert mission.required_languages == [{"code": "fr", "level": "B1"},
                                          {"code": "en", "level": ""}]


@pytest.mark.parametrize("entries", [
    [{"code": "french", "level": "B1"}],
    [{"code": "fr", "level": "D1"}],
    [{"code": "fr"}, {"code": "FR", "level": "A2"}],
    ["fr"],
])
def test_required_languages_are_validated(host, officer, entries):
    with pytest.raises(MissionInvalid) as exc:
        make(officer, host, required_languages=entries)
    assert "required_languages" in exc.value.details


@pytest.mark.parametrize(("typed", "entries"), [
    ("fr B1, en", [{"code": "fr", "level": "B1"}, {"code": "en", "level": ""}]),
    ("FR:c2; de a1", [{"code": "fr", "level": "C2"}, {"code": "de", "level": "A1"}]),
    ("", []),
])
def test_the_mission_form_reads_required_languages(typed, entries):
    from reciprocity.missions.forms import MissionForm

    form = MissionForm(data={"required_languages": typed}, hosts=[])
    form.is_valid()
    assert "required_languages" not in form.errors
    assert form.cleaned_data["required_languages"] == entries
    # Shown again on the edit page, it reads back the same.
    shown = MissionForm.initial_from(sc_data(required_languages=entries), 1)
    again = MissionForm(data={"required_languages": shown["required_languages"]}, hosts=[])
    again.is_valid()
    assert again.cleaned_data["required_languages"] == entries


@pytest.mark.parametrize("typed", ["french B1", "fr D1", "fr B1 extra"])
def test_the_mission_form_refuses_unreadable_required_languages(typed):
    from reciprocity.missions.forms import MissionForm

    form = MissionForm(data={"required_languages": typed}, hosts=[])
    assert not form.is_valid()
    assert "required_languages" in form.errors


def test_a_mission_without_languages_is_saved_on_creation_and_on_update(host, officer, sc_rules):
    # The form leaves "Languages" optional; full_clean once refused the empty list (a 500).
    mission = make(officer, host, languages=[])
    assert mission.languages == []
    mission.languages = ["fr"]
    mission.save()
    services.mission_update(mission=mission, actor=officer, data=sc_data(languages=[]), today=TODAY)
    mission.refresh_from_db()
    assert mission.languages == []
