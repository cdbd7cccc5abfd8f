"""A Senegalese volunteer confirmed for a Service Civique in Lyon, and the people around her."""

import datetime

import pytest

from reciprocity.accounts.models import MembershipRole
from reciprocity.accounts.tests.factories import MembershipFactory, StaffFactory, UserFactory
from reciprocity.missions.tests.factories import MissionFactory
from reciprocity.partners.tests.factories import AccreditationFactory, OrganisationFactory
from reciprocity.placements.tests.factories import PlacementFactory
from reciprocity.volunteers.tests.factories import VolunteerFactory

TODAY = datetime.date(2026, 11, 26)
NOW = datetime.datetime(2026, 11, 26, 9, tzinfo=datetime.UTC)  # the suite's frozen moment


@pytest.fixture
def host(db):  # type: ignore[no-untyped-def]
    host = OrganisationFactory(name="Maison des Solidarités", country="FR")
    AccreditationFactory(organisation=host, authorised_volunteers=5)
    return host


@pytest.fixture
def sender(db):  # type: ignore[no-untyped-def]
    return OrganisationFactory(name="ANVT Sénégal", country="SN", is_host=False)


@pytest.fixture
def host_officer(host):  # type: ignore[no-untyped-def]
    return MembershipFactory(organisation=host, role=MembershipRole.OFFICER,
                             user=UserFactory(username="helene")).user


@pytest.fixture
def host_viewer(host):  # type: ignore[no-untyped-def]
    return MembershipFactory(organisation=host, role=MembershipRole.VIEWER).user


@pytest.fixture
def sender_officer(sender):  # type: ignore[no-untyped-def]
    return MembershipFactory(organisation=sender, role=MembershipRole.OFFICER,
                             user=UserFactory(username="moussa")).user


@pytest.fixture
def volunteer_user(db):  # type: ignore[no-untyped-def]
    return UserFactory(username="awa")


@pytest.fixture
def staff(db):  # type: ignore[no-untyped-def]
    return StaffFactory(username="staffer")


@pytest.fixture
def outsider(db):  # type: ignore[no-untyped-def]
    return UserFactory(username="outsider")


@pytest.fixture
def placement(host, sender, volunteer_user):  # type: ignore[no-untyped-def]
    volunteer = VolunteerFactory(
        user=volunteer_user, nationality="SN", residence_country="SN",
        birth_date=datetime.date(2003, 5, 17), sending_organisation=sender,
    )
    mission = MissionFactory(host=host, scheme_id="service_civique", weekly_hours=28,
                             start_date=datetime.date(2027, 3, 1),
                             end_date=datetime.date(2027, 8, 31))
    return PlacementFactory(volunteer=volunteer, mission=mission, sending_organisation=sender)


@pytest.fixture
def other_placement(db):  # type: ignore[no-untyped-def]
    """A placement another host holds with another sender: none of the people above see it."""
    other_host = OrganisationFactory(name="Association Ailleurs", country="FR")
    AccreditationFactory(organisation=other_host)
    mission = MissionFactory(host=other_host, weekly_hours=30)
    return PlacementFactory(mission=mission)
