"""Re-attaching existing placements to the agreement that covers them: the migration moves the
placement and appends corrections; no entry is edited."""

import importlib
from datetime import date
from decimal import Decimal

import pytest
from django.apps import apps as django_apps

from reciprocity.accounts.tests.factories import StaffFactory
from reciprocity.agreements.tests.factories import AgreementFactory
from reciprocity.balance.models import LedgerEntry
from reciprocity.balance.selectors import agreement_balances
from reciprocity.balance.services import ledger_backfill, ledger_reattach_agreements
from reciprocity.balance.tests.helpers import make_placement
from reciprocity.partners.models import Affiliation, AffiliationKind
from reciprocity.partners.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db
MIGRATION = importlib.import_module(
    "reciprocity.balance.migrations.0007_reattach_placements_to_covering_agreements")


def entries(placement):
    return list(LedgerEntry.objects.filter(placement=placement).order_by("pk").values(
        "pk", "event", "agreement_id", "direction", "volunteers", "volunteer_months", "note"))


@pytest.fixture
def network():
    fv = OrganisationFactory(name="France Volontaires", country="FR")
    anvt = OrganisationFactory(name="ANVT", country="TG", is_host=False)
    host = OrganisationFactory(name="Maison des Solidarités", country="FR")
    Affiliation.objects.create(member=host, parent=fv, kind=AffiliationKind.NETWORK_MEMBER,
                               valid_from=date(2015, 1, 1))
    agreement = AgreementFactory(party_a=fv, party_b=anvt, tolerance=5)
    agreement.schemes.add("service_civique")
    return fv, anvt, host, agreement


def test_the_migration_attaches_a_network_members_placement_and_appends_corrections(network):
    _fv, anvt, host, agreement = network
    placement = make_placement(origin="TG", host="FR", start=date(2025, 3, 1),
                               end=date(2025, 8, 31), status="completed", host_org=host,
                               sender=anvt)
    ledger_backfill()
    before = entries(placement)
    assert {e["agreement_id"] for e in before} == {None}

    MIGRATION.forward(django_apps, None)

    placement.refresh_from_db()
    assert placement.agreement == agreement
    after = entries(placement)
    assert after[:len(before)] == before  # nothing edited
    corrections = after[len(before):]
    assert [(e["event"], e["agreement_id"], e["direction"], e["volunteers"]) for e in corrections] == [
        ("correction", agreement.pk, "b_to_a", 1),  # credited to the agreement, hosted by A's side
        ("correction", None, "", -1),  # and taken off the agreement-less key
    ]
    assert sum(e["volunteer_months"] for e in after if e["agreement_id"] is None) == Decimal("0")
    assert "migration" in corrections[0]["note"]
    balance = next(b for b in agreement_balances(user=StaffFactory(), year=2025)
                   if b.agreement == agreement)
    assert balance.planned.b_to_a == 1


def test_what_the_rule_cannot_decide_keeps_its_agreement(network):
    fv, anvt, host, agreement = network
    named_by_import = AgreementFactory(party_a=fv, party_b=OrganisationFactory(country="SN"))
    stranger = make_placement(origin="SN", host="FR", start=date(2025, 3, 1),
                              end=date(2025, 8, 31), agreement=named_by_import)
    cancelled = make_placement(origin="TG", host="FR", start=date(2025, 3, 1),
                               end=date(2025, 8, 31), status="cancelled", host_org=host,
                               sender=anvt)
    ledger_backfill()
    count = LedgerEntry.objects.count()

    moved = ledger_reattach_agreements(occurred_on=date(2026, 11, 26), note="test")

    assert moved == []
    stranger.refresh_from_db()
    cancelled.refresh_from_db()
    assert (stranger.agreement, cancelled.agreement) == (named_by_import, None)
    assert LedgerEntry.objects.count() == count


def test_a_placement_moved_between_agreements_is_reversed_on_the_old_one(network):
    fv, anvt, host, agreement = network
    # Attached by the old rule's "first by primary key" to an agreement that no longer covers
    # it (its scheme list does not include the placement's scheme).
    old = AgreementFactory(party_a=fv, party_b=anvt)
    placement = make_placement(origin="TG", host="FR", start=date(2025, 3, 1),
                               end=date(2025, 8, 31), status="confirmed", host_org=host,
                               sender=anvt, agreement=None)
    type(placement).objects.filter(pk=placement.pk).update(agreement=old)
    ledger_backfill()

    moved = ledger_reattach_agreements(occurred_on=date(2026, 11, 26), note="test")

    assert [(m.old_agreement_id, m.new_agreement_id) for m in moved] == [(old.pk, agreement.pk)]
    by_agreement = {}
    for e in entries(placement):
        by_agreement[e["agreement_id"]] = by_agreement.get(e["agreement_id"], 0) + e["volunteers"]
    assert by_agreement == {old.pk: 0, agreement.pk: 1}
