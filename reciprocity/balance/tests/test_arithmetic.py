from decimal import Decimal as D

import pytest

from reciprocity.balance import arithmetic as a


def terms(**kw):
    base = {"quota_a_to_b": D(10), "quota_b_to_a": D(10), "tolerance": D(3),
            "first_year": 2020, "last_year": 2023}
    return a.Terms(**{**base, **kw})


def test_gaps_net_and_ratio_of_one_year():
    (year,) = a.agreement_years(terms=terms(first_year=2020, last_year=2020),
                                flows={2020: a.Flow(D(8), D(4))})

    assert (year.gap_a_to_b, year.gap_b_to_a) == (D(-2), D(-6))
    assert year.net == D(4) and year.position == D(4)
    assert year.ratio == D("2.00")
    assert year.within_tolerance is False and year.excess == D(1)


def test_carry_over_accumulates_through_empty_years():
    flows = {2020: a.Flow(D(5), D(3)), 2022: a.Flow(D(1), D(4))}

    years = a.agreement_years(terms=terms(), flows=flows)

    assert [(y.year, y.carried_in, y.net, y.position) for y in years] == [
        (2020, D(0), D(2), D(2)),
        (2021, D(2), D(0), D(2)),
        (2022, D(2), D(-3), D(-1)),
        (2023, D(-1), D(0), D(-1)),
    ]
    assert all(y.within_tolerance for y in years)
    assert years[1].ratio is None


def test_without_carry_over_each_year_stands_alone():
    flows = {2020: a.Flow(D(5), D(0)), 2021: a.Flow(D(0), D(1))}

    years = a.agreement_years(terms=terms(), flows=flows, carry_over=False, years=[2021])

    assert [(y.year, y.position) for y in years] == [(2021, D(-1))]


def test_selected_years_still_carry_from_the_first_year():
    flows = {2020: a.Flow(D(6), D(0))}

    (year,) = a.agreement_years(terms=terms(), flows=flows, years=[2022])

    assert year.carried_in == D(6) and year.within_tolerance is False


@pytest.mark.parametrize(("tolerance", "within"), [(D(2), True), (D(1), False)])
def test_tolerance_boundary_is_inclusive(tolerance, within):
    (year,) = a.agreement_years(terms=terms(tolerance=tolerance, last_year=2020),
                                flows={2020: a.Flow(D(2), D(0))})

    assert year.within_tolerance is within


def test_forecast_weights_pending_applications():
    flow = a.forecast_flow(planned=a.Flow(D(3), D(1)), accepted=a.Flow(D(1), D(2)),
                           pending=a.Flow(D(4), D(2)), conversion=D("0.25"))

    assert flow == a.Flow(D(5), D("3.5"))


def test_network_balances_a_cycle_although_no_pair_is_balanced():
    pairs = {("A", "B"): D(2), ("B", "C"): D(2), ("C", "A"): D(2), ("A", "A"): D(9)}

    countries = a.network(pairs)

    assert [(c.country, c.hosted, c.sent, c.net) for c in countries] == [
        ("A", D(2), D(2), D(0)), ("B", D(2), D(2), D(0)), ("C", D(2), D(2), D(0))]
