"""Re-attach existing placements to the agreement that covers them (agreements/coverage.py).

Before the coverage rule, a placement got an agreement only when its mission named one or when
its sender and host were literally the agreement's two parties: placements with a host of a
coordinator's network, imported or demo placements, were counted against no quota and missed
from the agreement's balance. This migration gives every non-cancelled placement the agreement
the rule finds for it, where that differs, and appends the ledger corrections (never edits) so
the balances follow: `balance.services.ledger_reattach_agreements`, the same code path as
`reciprocity balance reattach`.

It calls the service (current models) rather than re-implementing the ledger arithmetic on
historical models: a second copy of the ledger's rules would drift. On a new database there is
no placement and nothing runs.
"""

from django.db import migrations
from django.utils import timezone


def forward(apps, schema_editor):
    Placement = apps.get_model("placements", "Placement")
    if not Placement.objects.exclude(status="cancelled").exists():
        return
    from reciprocity.balance.services import ledger_reattach_agreements

    ledger_reattach_agreements(
        occurred_on=timezone.localdate(),
        note="re-attached to the agreement that covers it (migration balance 0007)",
    )


class Migration(migrations.Migration):
    dependencies = [
        ("balance", "0006_ledger_refuses_delete_on_sqlite"),
        ("partners", "0003_affiliation"),
        ("agreements", "0002_agreement_tolerance_strict"),
        ("placements", "0004_stay_range_index"),
        ("audit", "0002_audit_append_only_trigger"),
    ]

    # Forward only: going back leaves the corrections in the ledger (they are history).
    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
