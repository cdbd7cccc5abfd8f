"""Writing the ledger: one function per kind of placement event."""

from datetime import date
from decimal import Decimal

from reciprocity.accounts.models import User
from reciprocity.balance.models import LedgerEntry, LedgerEvent
from reciprocity.balance.months import months_between
from reciprocity.placements.models import Placement


def ledger_record_placement_event(
    *, placement: Placement, event: str, occurred_on: date, actor: User | None = None, note: str = ""
) -> LedgerEntry:
    """Append the entry for a placement event (call it inside the transition's transaction).

    Deltas: a confirmation adds the volunteer and the planned months; a cancellation takes them
    back; an interruption takes back the months not served; start and completion move nothing
    (they mark what was realised).
    """
    planned = months_between(placement.start_date, placement.end_date)
    volunteers, months = 0, Decimal("0")
    if event == LedgerEvent.CONFIRMED:
        volunteers, months = 1, planned
    elif event == LedgerEvent.CANCELLED:
        volunteers, months = -1, -planned
    elif event == LedgerEvent.INTERRUPTED:
        served = months_between(placement.start_date, placement.ended_on or occurred_on)
        months = served - planned
    mission = placement.mission
    return LedgerEntry.objects.create(
        placement=placement, event=event, occurred_on=occurred_on,
        origin_country=placement.nationality, host_country=placement.host_country,
        sending_organisation_id=placement.sending_organisation_id,
        host_organisation_id=mission.host_id, agreement_id=placement.agreement_id,
        scheme_id=mission.scheme_id, volunteers=volunteers, volunteer_months=months,
        recorded_by=actor, note=note,
    )
