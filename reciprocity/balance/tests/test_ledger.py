from datetime import date
from decimal import Decimal as D

import pytest
from django.db import DatabaseError, transaction
from django.db.models import Sum

from reciprocity.agreements.tests.factories import AgreementFactory
from reciprocity.balance.models import LedgerEntry
from reciprocity.balance.services import (
    ledger_backfill,
    ledger_record_correction,
    ledger_record_placement_event,
)
from reciprocity.balance.tests.helpers import make_placement


def totals(placement):
    return LedgerEntry.objects.filter(placement=placement).aggregate(
        v=Sum("volunteers"), m=Sum("volunteer_months"), rv=Sum("realised_volunteers"),
        rm=Sum("realised_months"))


def position(placement):
    t = totals(placement)
    return (t["v"], D(t["m"]).quantize(D("0.01")), t["rv"], D(t["rm"]).quantize(D("0.01")))


@pytest.mark.django_db
class TestLedger:
    def test_lifecycle_confirm_start_interrupt(self):
        p = make_placement(origin="SN", host="FR", start=date(2024, 3, 1), end=date(2024, 8, 31),
                           status="confirmed")

        ledger_record_placement_event(placement=p, event="confirmed", occurred_on=date(2024, 1, 5))
        assert position(p) == (1, D("6.00"), 0, D("0.00"))
        ledger_record_placement_event(placement=p, event="started", occurred_on=date(2024, 3, 1))
        assert position(p) == (1, D("6.00"), 1, D("6.00"))
        p.ended_on = date(2024, 5, 31)
        p.status = "interrupted"
        p.save()
        entry = ledger_record_placement_event(placement=p, event="interrupted",
                                              occurred_on=date(2024, 5, 31))

        assert (entry.volunteer_months, entry.realised_months) == (D("-3.00"), D("-3.00"))
        assert position(p) == (1, D("3.00"), 1, D("3.00"))
        assert entry.year == 2024 and entry.origin_country == "SN" and entry.host_country == "FR"

    def test_cancellation_takes_everything_back(self):
        p = make_placement(origin="SN", host="FR", start=date(2024, 3, 1), end=date(2024, 8, 31),
                           status="confirmed")
        ledger_record_placement_event(placement=p, event="confirmed", occurred_on=date(2024, 1, 5))

        ledger_record_placement_event(placement=p, event="cancelled", occurred_on=date(2024, 2, 1))

        assert position(p) == (0, D("0.00"), 0, D("0.00"))
        assert LedgerEntry.objects.filter(placement=p).count() == 2

    def test_entries_are_append_only(self):
        p = make_placement(origin="SN", host="FR", start=date(2024, 3, 1), end=date(2024, 8, 31))
        entry = ledger_record_placement_event(placement=p, event="confirmed",
                                              occurred_on=date(2024, 1, 5))
        entry.volunteers = 5

        with pytest.raises(ValueError, match="append-only"):
            entry.save()

    def test_the_database_refuses_a_bulk_update_of_an_entry(self):
        p = make_placement(origin="SN", host="FR", start=date(2024, 3, 1), end=date(2024, 8, 31))
        entry = ledger_record_placement_event(placement=p, event="confirmed",
                                              occurred_on=date(2024, 1, 5))

        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            LedgerEntry.objects.filter(pk=entry.pk).update(volunteers=5)
        entry.refresh_from_db()
        assert entry.volunteers == 1

    def test_correction_moves_the_placement_to_another_year(self):
        p = make_placement(origin="SN", host="FR", start=date(2024, 12, 1),
                           end=date(2025, 5, 31), status="confirmed")
        ledger_record_placement_event(placement=p, event="confirmed", occurred_on=date(2024, 9, 1))
        p.start_date, p.end_date = date(2025, 1, 1), date(2025, 3, 31)
        p.save()

        entry = ledger_record_correction(placement=p, occurred_on=date(2024, 11, 1),
                                         note="start postponed")

        by_year = dict(LedgerEntry.objects.filter(placement=p).values_list("year")
                       .annotate(v=Sum("volunteers")).order_by())
        assert by_year == {2024: 0, 2025: 1}
        assert entry.event == "correction" and entry.volunteer_months == D("3.00")
        assert position(p) == (1, D("3.00"), 0, D("0.00"))

    def test_direction_follows_the_agreement_parties(self):
        agreement = AgreementFactory()
        to_b = make_placement(origin="FR", host="SN", start=date(2024, 3, 1),
                              end=date(2024, 8, 31), agreement=agreement,
                              host_org=agreement.party_b)
        to_a = make_placement(origin="SN", host="FR", start=date(2024, 3, 1),
                              end=date(2024, 8, 31), agreement=agreement)

        first = ledger_record_placement_event(placement=to_b, event="confirmed",
                                              occurred_on=date(2024, 1, 1))
        second = ledger_record_placement_event(placement=to_a, event="confirmed",
                                               occurred_on=date(2024, 1, 1))

        assert (first.direction, second.direction) == ("a_to_b", "b_to_a")

    def test_backfill_writes_status_events_once(self):
        done = make_placement(origin="TN", host="FR", start=date(2019, 3, 1),
                              end=date(2019, 8, 31), status="completed", ended_on=date(2019, 8, 31))
        cancelled = make_placement(origin="TN", host="FR", start=date(2019, 3, 1),
                                   end=date(2019, 8, 31), status="cancelled")
        proposed = make_placement(origin="TN", host="FR", start=date(2019, 3, 1),
                                  end=date(2019, 8, 31), status="proposed")

        written = ledger_backfill()
        again = ledger_backfill()

        assert written == 5 and again == 0
        assert list(LedgerEntry.objects.filter(placement=done).order_by("id")
                    .values_list("event", flat=True)) == ["confirmed", "started", "completed"]
        assert position(done) == (1, D("6.00"), 1, D("6.00"))
        assert position(cancelled) == (0, D("0.00"), 0, D("0.00"))
        assert not LedgerEntry.objects.filter(placement=proposed).exists()


def _totals():
    from reciprocity.balance.models import LedgerTotal

    return sorted(
        (t.year, str(t.origin_country), str(t.host_country), t.scheme_id, t.agreement_id,
         t.direction, t.volunteers, D(t.volunteer_months).quantize(D("0.01")),
         t.realised_volunteers, D(t.realised_months).quantize(D("0.01")), t.entries)
        for t in LedgerTotal.objects.all())


@pytest.mark.django_db
def test_running_totals_follow_every_entry_and_match_a_rebuild():
    from reciprocity.balance.services import ledger_totals_rebuild

    agreement = AgreementFactory()
    p = make_placement(origin="SN", host="FR", start=date(2024, 12, 1), end=date(2025, 5, 31),
                       status="confirmed", agreement=agreement)
    make_placement(origin="TN", host="FR", start=date(2024, 3, 1), end=date(2024, 8, 31),
                   status="completed", ended_on=date(2024, 8, 31))
    ledger_backfill()
    ledger_record_placement_event(placement=p, event="started", occurred_on=date(2024, 12, 1))
    p.start_date = date(2025, 1, 1)
    p.save()
    ledger_record_correction(placement=p, occurred_on=date(2025, 1, 2), note="late start")
    incremental = _totals()

    ledger_totals_rebuild()

    assert _totals() == incremental
    by_year = {(row[0], row[1]): row[6] for row in incremental}
    assert by_year == {(2024, "SN"): 0, (2025, "SN"): 1, (2024, "TN"): 1}


@pytest.mark.django_db
def test_forecast_adds_the_pipeline_of_first_choices_under_the_agreement():
    from reciprocity.accounts.tests.factories import StaffFactory
    from reciprocity.applications.tests.factories import (
        ApplicationChoiceFactory,
        ApplicationFactory,
    )
    from reciprocity.balance.selectors import agreement_balance_detail
    from reciprocity.missions.tests.factories import MissionFactory

    agreement = AgreementFactory(start_date=date(2026, 1, 1), end_date=date(2028, 12, 31))
    # The pipeline follows the coverage rule, which reads the agreement's schemes.
    agreement.schemes.add("service_civique")
    to_b = MissionFactory(host=agreement.party_b, start_date=date(2027, 3, 1),
                          end_date=date(2027, 8, 31))
    to_a = MissionFactory(host=agreement.party_a, start_date=date(2027, 3, 1),
                          end_date=date(2027, 8, 31))
    elsewhere = MissionFactory(start_date=date(2027, 3, 1), end_date=date(2027, 8, 31))
    accepted = ApplicationFactory(status="accepted", sending_organisation=agreement.party_a)
    ApplicationChoiceFactory(application=accepted, mission=to_b, rank=1)
    for _ in range(2):
        pending = ApplicationFactory(status="submitted", sending_organisation=agreement.party_b)
        ApplicationChoiceFactory(application=pending, mission=to_a, rank=1)
    # Only the first choice counts: this one's first choice is outside the agreement.
    other = ApplicationFactory(status="accepted", sending_organisation=agreement.party_b)
    ApplicationChoiceFactory(application=other, mission=elsewhere, rank=1)
    ApplicationChoiceFactory(application=other, mission=to_a, rank=2)

    detail = agreement_balance_detail(user=StaffFactory(), agreement_id=agreement.pk,
                                      today=date(2026, 11, 26))

    forecast_2027 = next(y for y in detail["forecast"] if y.year == 2027)
    assert (forecast_2027.a_to_b, forecast_2027.b_to_a) == (D(1), D("1.0"))
    assert detail["conversion"] == D("0.5")
