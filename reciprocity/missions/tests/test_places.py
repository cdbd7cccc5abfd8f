"""Places taken, asked by missions (missions/places.py) and answered by placements: the count
and the catalogue's annotation agree with placements' one query."""

import pytest

from reciprocity.missions.models import Mission
from reciprocity.missions.places import places_taken, places_taken_expression
from reciprocity.missions.tests.factories import MissionFactory
from reciprocity.placements.models import PlacementStatus
from reciprocity.placements.selectors import places_taken as placements_places_taken
from reciprocity.placements.tests.factories import PlacementFactory

pytestmark = pytest.mark.django_db


def test_only_placements_that_hold_a_place_are_counted():
    mission = MissionFactory(capacity=5)
    for status in (PlacementStatus.CONFIRMED, PlacementStatus.IN_MISSION, PlacementStatus.PROPOSED,
                   PlacementStatus.CANCELLED):
        PlacementFactory(mission=mission, status=status)
    empty = MissionFactory()

    annotated = dict(Mission.objects.annotate(taken=places_taken_expression()).values_list("pk", "taken"))

    assert places_taken(mission_id=mission.pk) == placements_places_taken(mission_id=mission.pk) == 2
    assert annotated[mission.pk] == 2
    assert places_taken(mission_id=empty.pk) == annotated[empty.pk] == 0
