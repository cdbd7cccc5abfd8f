"""Quota scenarios: copy, change, view, apply (planning/services.py, selectors.py)."""

import datetime
from decimal import Decimal as D

import pytest

from reciprocity.agreements.models import AgreementYearQuota
from reciprocity.agreements.quotas import quota_of
from reciprocity.balance.selectors import agreement_balances
from reciprocity.balance.services import ledger_record_placement_event
from reciprocity.balance.tests.helpers import make_placement
from reciprocity.core.exceptions import InvalidTransition, NotAllowed
from reciprocity.core.validation import InvalidData
from reciprocity.planning.models import ScenarioStatus
from reciprocity.planning.selectors import scenario_list, scenario_view, scenarios_compare
from reciprocity.planning.services import (
    StaleScenario,
    scenario_apply,
    scenario_create,
    scenario_set_quotas,
)
from reciprocity.planning.tests.conftest import TODAY

NOW = datetime.datetime(2026, 11, 26, 9, tzinfo=datetime.UTC)


def _create(network, by=None, name="Next year", organisation="coordinator"):
    return scenario_create(by=by or network["officer"], name=name, year=2027,
                           organisation=network[organisation] if organisation else None,
                           today=TODAY)


class TestCreate:
    def test_copies_the_networks_agreements_that_run_next_year_with_their_quotas(self, network):
        AgreementYearQuota.objects.create(agreement=network["tunisia_ag"], year=2027,
                                          quota_a_to_b=7, quota_b_to_a=4)

        scenario = _create(network)

        lines = {line.agreement.reference: line for line in scenario.lines.all()}
        assert sorted(lines) == ["fr-sn", "fr-tn"]
        tn = lines["fr-tn"]
        assert (tn.base_quota_a_to_b, tn.base_quota_b_to_a, tn.quota_a_to_b, tn.quota_b_to_a) == (
            7, 4, 7, 4)
        assert scenario.status == ScenarioStatus.DRAFT
        assert [(h.from_status, h.to_status) for h in scenario.history.all()] == [("", "draft")]

    def test_staff_may_plan_the_whole_platform(self, network):
        scenario = _create(network, by=network["staff"], organisation=None)

        assert scenario.lines.count() == 3  # fr-sn, fr-tn and the agreement outside the network

    @pytest.mark.parametrize("who", ["viewer", "outsider"])
    def test_others_may_not_plan_the_coordinators_quotas(self, network, who):
        with pytest.raises(NotAllowed):
            _create(network, by=network[who])

    def test_refuses_a_year_too_far_and_an_empty_name(self, network):
        with pytest.raises(InvalidData) as refused:
            scenario_create(by=network["officer"], name=" ", year=2040,
                            organisation=network["coordinator"], today=TODAY)

        assert set(refused.value.details) == {"name", "year"}


class TestQuotas:
    def test_changes_the_lines_of_a_draft(self, network):
        scenario = _create(network)

        scenario_set_quotas(by=network["officer"], scenario=scenario,
                            quotas={network["senegal_ag"].pk: (12, 8)})

        line = scenario.lines.get(agreement=network["senegal_ag"])
        assert (line.quota_a_to_b, line.quota_b_to_a, line.changed) == (12, 8, True)

    def test_refuses_negative_quotas_and_agreements_outside_the_scenario(self, network):
        scenario = _create(network)

        with pytest.raises(InvalidData) as refused:
            scenario_set_quotas(by=network["officer"], scenario=scenario, quotas={
                network["senegal_ag"].pk: (-1, 8), network["outside_ag"].pk: (1, 1)})

        assert len(refused.value.details) == 2
        assert scenario.lines.get(agreement=network["senegal_ag"]).quota_b_to_a == 10


class TestView:
    def test_projects_carry_over_forecast_and_quotas_beside_the_current_plan(self, network):
        agreement = network["senegal_ag"]
        # This year FR sent 4 more to SN than it received: the position carried into 2027.
        for _ in range(4):
            placement = make_placement(origin="FR", host="SN", start=datetime.date(2026, 3, 1),
                                       end=datetime.date(2026, 8, 31), status="confirmed",
                                       agreement=agreement, host_org=agreement.party_b)
            ledger_record_placement_event(placement=placement, event="confirmed",
                                          occurred_on=datetime.date(2026, 1, 5))
        scenario = _create(network)
        scenario_set_quotas(by=network["officer"], scenario=scenario,
                            quotas={agreement.pk: (8, 12)})

        view = scenario_view(user=network["officer"], scenario=scenario, today=TODAY)

        line = next(v for v in view.lines if v.agreement == agreement)
        assert line.outlook.carried_in == D(4)
        assert (line.current.a_to_b, line.current.b_to_a, line.current.position) == (
            D(10), D(10), D(4))
        assert line.current.within_tolerance is False
        assert (line.scenario.a_to_b, line.scenario.b_to_a, line.scenario.position) == (
            D(8), D(12), D(0))
        assert line.scenario.within_tolerance is True
        assert not view.stale
        countries = {c.country: c for c in view.network}
        assert countries["SN"].current.hosted == D(10)
        assert countries["SN"].scenario.hosted == D(8)
        assert (view.totals.outside_current, view.totals.outside_scenario) == (1, 0)

    def test_a_coordinator_sees_its_own_scenarios_only(self, network):
        mine = _create(network)
        platform = _create(network, by=network["staff"], organisation=None)

        assert list(scenario_list(user=network["officer"])) == [mine]
        assert list(scenario_list(user=network["outsider"])) == []
        assert list(scenario_list(user=network["viewer"])) == []
        assert set(scenario_list(user=network["staff"])) == {mine, platform}

    def test_lines_are_the_agreements_the_reader_may_see(self, network):
        platform = _create(network, by=network["staff"], organisation=None)

        view = scenario_view(user=network["officer"], scenario=platform, today=TODAY)

        assert sorted(v.agreement.reference for v in view.lines) == ["fr-sn", "fr-tn"]

    def test_compare_puts_two_scenarios_side_by_side(self, network):
        low = _create(network, name="Low")
        high = _create(network, name="High")
        scenario_set_quotas(by=network["officer"], scenario=high,
                            quotas={network["senegal_ag"].pk: (15, 15)})

        comparison = scenarios_compare(user=network["officer"], first=low, second=high,
                                       today=TODAY)

        row = next(r for r in comparison.rows if r.agreement == network["senegal_ag"])
        assert (row.first.scenario.a_to_b, row.second.scenario.a_to_b) == (D(10), D(15))
        assert comparison.second.totals.quota_scenario - comparison.first.totals.quota_scenario == 10


class TestApply:
    def test_writes_the_years_quotas_that_the_balance_then_uses(self, network):
        scenario = _create(network)
        scenario_set_quotas(by=network["officer"], scenario=scenario,
                            quotas={network["senegal_ag"].pk: (12, 8)})

        scenario_apply(by=network["officer"], scenario=scenario, now=NOW)

        scenario.refresh_from_db()
        assert scenario.status == ScenarioStatus.APPLIED and scenario.applied_at == NOW
        assert [h.to_status for h in scenario.history.order_by("pk")] == ["draft", "applied"]
        row = AgreementYearQuota.objects.get(agreement=network["senegal_ag"], year=2027)
        assert (row.quota_a_to_b, row.quota_b_to_a, row.set_by) == (12, 8, network["officer"])
        assert quota_of(network["senegal_ag"], 2027).a_to_b == 12
        # Other years keep the agreement's own quotas.
        assert quota_of(network["senegal_ag"], 2028).a_to_b == 10
        # The applied scenario is shown beside the quotas it replaced, never as stale.
        view = scenario_view(user=network["officer"], scenario=scenario, today=TODAY)
        line = next(v for v in view.lines if v.agreement == network["senegal_ag"])
        assert (line.current.quota_a_to_b, line.scenario.quota_a_to_b, view.stale) == (
            D(10), D(12), False)
        balance = next(b for b in agreement_balances(user=network["staff"], year=2027)
                       if b.agreement == network["senegal_ag"])
        assert (balance.planned.quota_a_to_b, balance.planned.gap_b_to_a) == (D(12), D(-8))

    def test_refuses_a_second_apply(self, network):
        scenario = _create(network)
        scenario_apply(by=network["officer"], scenario=scenario, now=NOW)

        with pytest.raises(InvalidTransition) as refused:
            scenario_apply(by=network["officer"], scenario=scenario, now=NOW)

        assert refused.value.code == "scenario_applied"
        with pytest.raises(InvalidTransition):
            scenario_set_quotas(by=network["officer"], scenario=scenario,
                                quotas={network["senegal_ag"].pk: (1, 1)})

    def test_refuses_a_stale_scenario_and_writes_nothing(self, network):
        first = _create(network, name="First")
        second = _create(network, name="Second")
        scenario_set_quotas(by=network["officer"], scenario=first,
                            quotas={network["senegal_ag"].pk: (12, 8)})
        scenario_apply(by=network["officer"], scenario=first, now=NOW)
        scenario_set_quotas(by=network["officer"], scenario=second,
                            quotas={network["tunisia_ag"].pk: (6, 6)})

        assert scenario_view(user=network["officer"], scenario=second, today=TODAY).stale
        with pytest.raises(StaleScenario) as refused:
            scenario_apply(by=network["officer"], scenario=second, now=NOW)

        assert refused.value.details == {"agreements": [network["senegal_ag"].pk]}
        second.refresh_from_db()
        assert second.status == ScenarioStatus.DRAFT
        # The first scenario wrote every line, the unchanged ones too; the second wrote nothing.
        assert quota_of(network["tunisia_ag"], 2027).a_to_b == 5

    def test_only_the_owners_writers_and_staff_apply(self, network):
        scenario = _create(network)

        for who in ("viewer", "outsider"):
            with pytest.raises(NotAllowed):
                scenario_apply(by=network[who], scenario=scenario, now=NOW)
        scenario_apply(by=network["staff"], scenario=scenario, now=NOW)
