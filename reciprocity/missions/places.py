"""Places taken in a mission, asked by missions and answered by placements.

A place is taken by a placement that holds it, and placements sit above missions (ADR 0005):
missions must not import them (ignore 7 removed). So the missions' pages, checks and catalogue
ask through these two signals, and placements answers them in its `AppConfig.ready` from its
one "places taken" query (`placements.selectors.places_taken` and the same filter as a
subquery). With no receiver connected, no place is taken.
"""

from typing import Any, cast

from django.db.models import Expression, IntegerField, Value
from django.dispatch import Signal

# Sent with `mission_id`; each receiver returns the number of places of that mission its rows
# take (an int).
mission_places_taken = Signal()
# Sent with no argument; each receiver returns an expression counting the places its rows take
# in the mission `OuterRef("pk")` (0 when none), for annotating a query of missions in one query.
mission_places_taken_expression = Signal()


def places_taken(*, mission_id: int) -> int:
    """The places of the mission taken now (one query per answering app)."""
    answers = mission_places_taken.send(sender=None, mission_id=mission_id)
    return sum(cast(int, taken) for _receiver, taken in answers)  # each receiver returns an int


def places_taken_expression() -> Any:
    """An integer expression for the places taken in the outer query's mission (`pk`)."""
    # Each receiver returns an integer expression (see above).
    expressions = [cast(Expression, e) for _receiver, e in mission_places_taken_expression.send(sender=None)]
    if not expressions:
        return Value(0, output_field=IntegerField())
    total: Expression = expressions[0]
    for more in expressions[1:]:
        total = total + more
    return total
