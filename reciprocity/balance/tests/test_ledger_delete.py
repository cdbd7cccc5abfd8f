"""The ledger refuses DELETE in the database, on SQLite as on PostgreSQL; only `flush` (the
whole database emptied at once) goes through, and the guard is back afterwards."""

from datetime import date

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from reciprocity.balance.models import LedgerEntry
from reciprocity.balance.services import ledger_record_placement_event
from reciprocity.balance.tests.helpers import make_placement


def _entry() -> LedgerEntry:
    placement = make_placement(origin="SN", host="FR", start=date(2024, 3, 1),
                               end=date(2024, 8, 31))
    return ledger_record_placement_event(placement=placement, event="confirmed",
                                         occurred_on=date(2024, 1, 5))


@pytest.mark.django_db
def test_the_database_refuses_a_bulk_delete_of_an_entry():
    entry = _entry()

    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        LedgerEntry.objects.filter(pk=entry.pk).delete()

    assert LedgerEntry.objects.filter(pk=entry.pk).exists()


@pytest.mark.django_db
def test_the_database_refuses_a_raw_delete_of_every_entry():
    entry = _entry()

    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), \
            connection.cursor() as cursor:
        cursor.execute("DELETE FROM balance_ledgerentry")

    assert LedgerEntry.objects.filter(pk=entry.pk).exists()


def _ledger_triggers() -> list[str]:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' "
                           "AND tbl_name = 'balance_ledgerentry' ORDER BY name")
        else:
            cursor.execute("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal "
                           "AND tgrelid = 'balance_ledgerentry'::regclass ORDER BY tgname")
        return [row[0] for row in cursor.fetchall()]


@pytest.mark.django_db(transaction=True)
def test_flush_empties_the_ledger_and_leaves_it_guarded():
    _entry()
    guards = _ledger_triggers()
    assert guards

    call_command("flush", interactive=False, verbosity=0)

    assert not LedgerEntry.objects.exists()
    assert _ledger_triggers() == guards
