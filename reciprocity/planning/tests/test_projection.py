"""The projection of a year under given quotas (planning/projection.py), without a database."""

from decimal import Decimal as D

import pytest

from reciprocity.balance.arithmetic import Flow
from reciprocity.planning.projection import PairProjection, network_view, project, totals


@pytest.mark.parametrize(
    ("carried", "forecast", "quotas", "flows", "position", "within"),
    [
        # Quotas above what is forecast are assumed filled.
        (D(0), Flow(D(2), D(1)), (D(10), D(10)), (D(10), D(10)), D(0), True),
        # A quota below the forecast does not undo placements already planned.
        (D(0), Flow(D(12), D(3)), (D(10), D(5)), (D(12), D(5)), D(7), False),
        # The position carried in from past years adds to the year's net.
        (D(-4), Flow(D(0), D(0)), (D(8), D(5)), (D(8), D(5)), D(-1), True),
        # Fractions of the pending pipeline stay fractions.
        (D(2), Flow(D("6.5"), D(0)), (D(6), D(6)), (D("6.5"), D(6)), D("2.5"), True),
    ],
)
def test_project(carried, forecast, quotas, flows, position, within):
    p = project(carried_in=carried, forecast=forecast, quota_a_to_b=quotas[0],
                quota_b_to_a=quotas[1], tolerance=D(3))

    assert (p.a_to_b, p.b_to_a) == flows
    assert p.position == position
    assert p.within_tolerance is within
    assert p.excess == max(D(0), abs(position) - D(3))


def _pair(a, b, current, scenario):
    def proj(q):
        return project(carried_in=D(0), forecast=Flow(), quota_a_to_b=D(q[0]),
                       quota_b_to_a=D(q[1]), tolerance=D(2))
    return PairProjection(a, b, proj(current), proj(scenario))


def test_network_view_balances_a_cycle_that_no_pair_balances():
    """FR sends 5 to SN, SN 5 to TN, TN 5 to FR in the scenario: every country nets 0."""
    pairs = [_pair("FR", "SN", (5, 0), (5, 0)), _pair("SN", "TN", (0, 0), (5, 0)),
             _pair("TN", "FR", (0, 0), (5, 0))]

    view = {c.country: c for c in network_view(pairs)}

    assert {c: (v.scenario.hosted, v.scenario.sent, v.scenario.net) for c, v in view.items()} == {
        "FR": (D(5), D(5), D(0)), "SN": (D(5), D(5), D(0)), "TN": (D(5), D(5), D(0))}
    assert view["SN"].current.net == D(5)
    assert all(not p.scenario.within_tolerance for p in pairs)


def test_totals_add_quotas_flows_and_agreements_outside_tolerance():
    pairs = [_pair("FR", "SN", (10, 10), (10, 6)), _pair("FR", "TN", (4, 4), (5, 5))]

    t = totals(pairs)

    assert (t.quota_current, t.quota_scenario) == (D(28), D(26))
    assert (t.flow_current, t.flow_scenario) == (D(28), D(26))
    assert (t.outside_current, t.outside_scenario) == (0, 1)
