import io
import json
from datetime import date

import pytest
from django.core import mail
from django.core.management import call_command

from reciprocity.accounts.tests.factories import MembershipFactory
from reciprocity.agreements.tests.factories import AgreementFactory
from reciprocity.balance.models import BalanceAlert
from reciprocity.balance.services import ledger_backfill
from reciprocity.balance.tests.helpers import make_placement


@pytest.mark.django_db(transaction=True)
def test_alerts_mail_both_parties_once_per_position():
    agreement = AgreementFactory(tolerance=1, start_date=date(2024, 1, 1))
    MembershipFactory(organisation=agreement.party_a, user__email="a@example.org")
    MembershipFactory(organisation=agreement.party_b, user__email="b@example.org")
    within = AgreementFactory(tolerance=5, start_date=date(2024, 1, 1))
    for _ in range(3):
        make_placement(origin="SN", host="FR", start=date(2024, 3, 1), end=date(2024, 8, 31),
                       agreement=agreement, host_org=agreement.party_a)
        make_placement(origin="SN", host="FR", start=date(2024, 3, 1), end=date(2024, 8, 31),
                       agreement=within, host_org=within.party_a)
    ledger_backfill()
    out = io.StringIO()

    call_command("balance", "alerts", "--year", "2024", "--json", stdout=out)
    call_command("balance", "alerts", "--year", "2024", stdout=io.StringIO())

    result = json.loads(out.getvalue())
    assert result["alerts"] == [{"agreement": agreement.reference, "position": "-3",
                                 "tolerance": "1", "recipients": 2, "new": True}]
    assert len(mail.outbox) == 1
    assert sorted(mail.outbox[0].to) == ["a@example.org", "b@example.org"]
    assert BalanceAlert.objects.filter(agreement=agreement, year=2024).count() == 1


@pytest.mark.django_db
def test_dry_run_records_nothing():
    agreement = AgreementFactory(tolerance=0, start_date=date(2024, 1, 1))
    make_placement(origin="SN", host="FR", start=date(2024, 3, 1), end=date(2024, 8, 31),
                   agreement=agreement, host_org=agreement.party_a)
    ledger_backfill()
    out = io.StringIO()

    call_command("balance", "alerts", "--year", "2024", "--dry-run", stdout=out)

    assert "would notify" in out.getvalue()
    assert not BalanceAlert.objects.exists() and not mail.outbox


@pytest.mark.django_db(transaction=True)
def test_each_member_gets_the_alert_in_their_language():
    agreement = AgreementFactory(tolerance=1, start_date=date(2024, 1, 1))
    MembershipFactory(organisation=agreement.party_a, user__email="a@example.org",
                      user__preferred_language="fr")
    MembershipFactory(organisation=agreement.party_b, user__email="b@example.org")
    for _ in range(3):
        make_placement(origin="SN", host="FR", start=date(2024, 3, 1), end=date(2024, 8, 31),
                       agreement=agreement, host_org=agreement.party_a)
    ledger_backfill()

    call_command("balance", "alerts", "--year", "2024", stdout=io.StringIO())

    subjects = {message.to[0]: message.subject for message in mail.outbox}
    assert subjects["a@example.org"].startswith("Équilibre de réciprocité hors tolérance")
    assert subjects["b@example.org"].startswith("Reciprocity balance outside tolerance")
