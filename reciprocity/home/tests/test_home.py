"""The home page: what each role sees first, scoped to the reader, for the day the view passes in."""

import datetime

import pytest

from reciprocity.accounts.models import MembershipRole
from reciprocity.accounts.tests.factories import MembershipFactory, StaffFactory, UserFactory
from reciprocity.agreements.tests.factories import AgreementFactory
from reciprocity.applications.tests.factories import ApplicationChoiceFactory, ApplicationFactory
from reciprocity.home.selectors import home_summary
from reciprocity.missions.models import MissionStatus
from reciprocity.missions.tests.factories import MissionFactory
from reciprocity.notifications.models import Notification
from reciprocity.placements.tests.factories import PlacementFactory
from reciprocity.volunteers.tests.factories import VolunteerFactory

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 11, 26, 9, tzinfo=datetime.UTC)  # the suite's frozen moment


@pytest.fixture
def world():
    agreement = AgreementFactory()
    host = agreement.party_a
    mission = MissionFactory(host=host, title="Urban gardens")
    other_mission = MissionFactory(title="Someone else's camp")
    MissionFactory(host=host, status=MissionStatus.DRAFT, title="Secret draft")
    volunteer = VolunteerFactory(user=UserFactory())
    return {"agreement": agreement, "host": host, "mission": mission, "other_mission": other_mission,
            "volunteer": volunteer}


def reader(world, role):
    if role == "anonymous":
        return None
    if role == "staff":
        return StaffFactory()
    if role == "volunteer":
        return world["volunteer"].user
    return MembershipFactory(organisation=world["host"], role=MembershipRole(role)).user


# (who reads, the role the page greets, a heading only that role sees)
ROLES = [
    ("anonymous", "anonymous", "Volunteer abroad, host volunteers at home"),
    ("staff", "staff", "Platform overview"),
    ("admin", "member", "Your organisations"),
    ("officer", "member", "Your organisations"),
    ("viewer", "member", "Your organisations"),
    ("volunteer", "volunteer", "Your volunteering"),
]


@pytest.mark.parametrize(("who", "role", "heading"), ROLES)
def test_each_role_gets_its_home_page(client, world, who, role, heading):
    user = reader(world, who)
    if user is not None:
        client.force_login(user)

    response = client.get("/")

    assert response.status_code == 200
    assert response.context["role"] == role
    assert heading in response.content.decode()
    assert response.context["published_count"] == 2  # the draft is not counted
    # The view passes the day in: the page speaks of the frozen test day, nothing else.
    if user is not None:
        assert response.context["today"] == datetime.date(2026, 11, 26)


def test_home_answers_at_the_root_under_its_own_name(client):
    from django.urls import reverse

    assert reverse("home:home") == "/"


def test_a_member_sees_their_own_organisations_missions_and_decisions_only(world):
    ApplicationChoiceFactory(mission=world["mission"])
    ApplicationChoiceFactory(mission=world["mission"])
    ApplicationChoiceFactory(mission=world["other_mission"])  # another host's: not theirs
    user = MembershipFactory(organisation=world["host"], role=MembershipRole.ADMIN).user

    summary = home_summary(user=user, today=datetime.date(2026, 11, 26), now=NOW)

    assert summary["role"] == "member"
    assert summary["to_decide"] == 2
    assert list(summary["my_organisations"]) == [world["host"]]
    assert {m.title for m in summary["my_missions"]} == {"Urban gardens", "Secret draft"}
    assert [b.agreement for b in summary["balances"]] == [world["agreement"]]
    assert summary["year"] == 2026


def test_a_volunteer_sees_their_own_applications_and_placements_only(world):
    volunteer = world["volunteer"]
    mine = ApplicationFactory(volunteer=volunteer, sending_organisation=volunteer.sending_organisation)
    ApplicationFactory()  # someone else's
    placement = PlacementFactory(volunteer=volunteer, mission=world["mission"])
    PlacementFactory(mission=world["mission"])  # someone else's

    summary = home_summary(user=volunteer.user, today=datetime.date(2026, 11, 26), now=NOW)

    assert summary["role"] == "volunteer"
    assert list(summary["my_applications"]) == [mine]
    assert list(summary["my_placements"]) == [placement]
    assert "to_decide" not in summary and "balances" not in summary


def test_unread_notifications_are_the_readers_own(world):
    user = world["volunteer"].user
    Notification.objects.create(user=user, subject="For you")
    Notification.objects.create(user=user, subject="Already read", read_at=datetime.datetime(2026, 11, 1,
                                                                                           tzinfo=datetime.UTC))
    Notification.objects.create(user=StaffFactory(), subject="For someone else")

    assert home_summary(user=user, today=datetime.date(2026, 11, 26), now=NOW)["unread"] == 1


def test_the_year_of_the_balances_is_the_given_days(world):
    user = StaffFactory()

    summary = home_summary(user=user, today=datetime.date(2031, 1, 2), now=NOW)

    assert summary["today"] == datetime.date(2031, 1, 2)
    assert summary["year"] == 2031


def test_unanswered_applications_are_counted_among_those_waiting(world):
    """One definition for both figures, counted in applications: staff once saw "Applications to
    decide: 0" (they host nothing) next to "Unanswered after 21 days: 128" (choices, everywhere)."""
    from django.utils import timezone

    old = ApplicationFactory(submitted_at=timezone.now() - datetime.timedelta(days=40))
    ApplicationChoiceFactory(application=old, mission=world["mission"])
    ApplicationChoiceFactory(application=old, mission=world["other_mission"], rank=2)
    ApplicationChoiceFactory(mission=world["mission"])  # submitted today: waiting, not late

    summary = home_summary(user=StaffFactory(), today=datetime.date(2026, 11, 26), now=NOW)

    assert (summary["to_decide"], summary["unanswered"]) == (2, 1)
