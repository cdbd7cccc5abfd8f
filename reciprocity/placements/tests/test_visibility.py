"""Who sees which placement (`placements_visible_to`, the one scoping query) and the list's order.

The scoping query is written for PostgreSQL's indexes (each condition on the placement's own
columns, bench/load/README.md); these tests pin what it selects, on SQLite and PostgreSQL.
"""

from datetime import date
from types import SimpleNamespace

import pytest

from reciprocity.accounts.models import MembershipRole
from reciprocity.accounts.tests.factories import MembershipFactory, StaffFactory, UserFactory
from reciprocity.missions.tests.factories import MissionFactory
from reciprocity.partners.tests.factories import OrganisationFactory
from reciprocity.placements.models import PlacementStatus
from reciprocity.placements.selectors import placement_list, placements_visible_to
from reciprocity.placements.tests.factories import PlacementFactory
from reciprocity.volunteers.tests.factories import VolunteerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> SimpleNamespace:
    host, sender, other_host, other_sender = (
        OrganisationFactory(country=c) for c in ("SN", "FR", "MA", "BE"))
    own = VolunteerFactory(user=UserFactory(), sending_organisation=other_sender)
    placements = {
        "hosted": PlacementFactory(mission=MissionFactory(host=host),
                                   volunteer=VolunteerFactory(sending_organisation=other_sender)),
        "sent": PlacementFactory(mission=MissionFactory(host=other_host),
                                 volunteer=VolunteerFactory(sending_organisation=sender)),
        "both": PlacementFactory(mission=MissionFactory(host=host),
                                 volunteer=VolunteerFactory(sending_organisation=sender)),
        "own": PlacementFactory(mission=MissionFactory(host=other_host), volunteer=own),
        "elsewhere": PlacementFactory(mission=MissionFactory(host=other_host),
                                      volunteer=VolunteerFactory(sending_organisation=other_sender)),
    }
    # A placement without a sending organisation, hosted by `host`.
    placements["unsent"] = PlacementFactory(
        mission=MissionFactory(host=host), volunteer=VolunteerFactory(sending_organisation=None))

    both_member = MembershipFactory(organisation=host).user
    MembershipFactory(user=both_member, organisation=sender)
    return SimpleNamespace(
        placements=placements,
        host_officer=MembershipFactory(organisation=host, role=MembershipRole.OFFICER).user,
        sender_viewer=MembershipFactory(organisation=sender, role=MembershipRole.VIEWER).user,
        both_member=both_member,
        volunteer=own.user,
    )


def seen(w, user) -> set[str]:  # type: ignore[no-untyped-def]
    ids = set(placements_visible_to(user).values_list("pk", flat=True))
    return {name for name, p in w.placements.items() if p.pk in ids}


def test_each_sees_what_their_organisations_send_or_host_and_their_own(world):  # type: ignore[no-untyped-def]
    assert seen(world, world.host_officer) == {"hosted", "both", "unsent"}
    assert seen(world, world.sender_viewer) == {"sent", "both"}
    assert seen(world, world.both_member) == {"hosted", "sent", "both", "unsent"}
    assert seen(world, world.volunteer) == {"own"}
    assert seen(world, UserFactory()) == set()
    assert seen(world, StaffFactory()) == set(world.placements)
    MembershipFactory(user=world.volunteer, organisation=world.placements["sent"].sending_organisation)
    assert seen(world, world.volunteer) == {"own", "sent", "both"}


def test_no_placement_is_listed_twice_and_the_count_matches(world):  # type: ignore[no-untyped-def]
    listed = list(placement_list(user=world.both_member))
    assert len(listed) == len({p.pk for p in listed}) == placement_list(user=world.both_member).count() == 4


def test_the_list_is_newest_first_then_by_id_and_filters_by_status(world):  # type: ignore[no-untyped-def]
    host = world.placements["hosted"].mission.host
    same_day = [PlacementFactory(mission=MissionFactory(host=host, start_date=date(2027, 9, 1),
                                                        end_date=date(2028, 2, 28)))
                for _ in range(2)]
    cancelled = PlacementFactory(mission=MissionFactory(host=host), status=PlacementStatus.CANCELLED)
    listed = list(placement_list(user=world.host_officer))
    assert [(p.start_date, p.pk) for p in listed] == sorted(
        ((p.start_date, p.pk) for p in listed), reverse=True)
    assert listed.index(same_day[1]) < listed.index(same_day[0])
    assert list(placement_list(user=world.host_officer, status=PlacementStatus.CANCELLED)) == [cancelled]
    # The page shows the volunteer, mission, host and sender without a query per row.
    first = listed[0]
    assert first.mission.host == host and str(first.volunteer)
