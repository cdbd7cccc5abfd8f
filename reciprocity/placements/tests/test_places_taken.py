"""The one "places taken" count (placements.selectors.places_taken): which statuses hold a place.

Confirmation, the waiting list (workflow) and the exchange files all read this count.
"""

import pytest

from reciprocity.missions.tests.factories import MissionFactory
from reciprocity.placements.models import PlacementStatus as P
from reciprocity.placements.selectors import places_taken
from reciprocity.placements.tests.factories import PlacementFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("status", "holds"),
    [
        (P.PROPOSED, False),
        (P.CONFIRMED, True),
        (P.IN_MISSION, True),
        (P.COMPLETED, True),
        (P.INTERRUPTED, True),
        (P.CANCELLED, False),
    ],
)
def test_a_placement_takes_a_place_by_its_status(status, holds):
    mission = MissionFactory()
    PlacementFactory(mission=mission, status=status)
    assert places_taken(mission_id=mission.pk) == (1 if holds else 0)


def test_only_the_missions_own_placements_count():
    mission, other = MissionFactory(), MissionFactory()
    PlacementFactory.create_batch(2, mission=mission)
    PlacementFactory(mission=other)
    assert (places_taken(mission_id=mission.pk), places_taken(mission_id=other.pk)) == (2, 1)
