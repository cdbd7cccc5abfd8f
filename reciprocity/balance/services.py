"""Writing the ledger: placement events, backfill of placements that never had events, and
corrections. Nothing here edits or deletes an entry.

Each event brings the placement's position in the ledger to the state the event implies, and
the entry holds the difference. Working from the position rather than from fixed deltas keeps
the ledger right whatever path a placement took (interrupted before any "started" event,
an event recorded twice, dates corrected after a confirmation):

- confirmed: planned = 1 volunteer and the planned months; nothing realised yet;
- started: realised = planned;
- completed / interrupted: planned = realised = 1 volunteer and the months actually served
  (start to `ended_on`, or to the event day);
- cancelled: everything back to zero (it never started);
- correction: the position of the placement as it is now (dates, countries, agreement…).

A position is kept per snapshot key (year, countries, organisations, agreement, scheme,
direction): when a correction moves a placement to another year or agreement, the old key is
brought back to zero by its own entry, so every year's total stays right.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Count, F, Sum

from reciprocity.accounts.models import User
from reciprocity.balance import caching
from reciprocity.balance.models import Direction, LedgerEntry, LedgerEvent, LedgerTotal
from reciprocity.domain.dates import months_between
from reciprocity.placements.models import Placement, PlacementStatus

ZERO = Decimal("0.00")

# The events a placement's status implies, in order (for placements written without events).
STATUS_EVENTS = {
    PlacementStatus.PROPOSED: [],
    PlacementStatus.CONFIRMED: [LedgerEvent.CONFIRMED],
    PlacementStatus.IN_MISSION: [LedgerEvent.CONFIRMED, LedgerEvent.STARTED],
    PlacementStatus.COMPLETED: [LedgerEvent.CONFIRMED, LedgerEvent.STARTED, LedgerEvent.COMPLETED],
    PlacementStatus.INTERRUPTED: [
        LedgerEvent.CONFIRMED, LedgerEvent.STARTED, LedgerEvent.INTERRUPTED,
    ],
    PlacementStatus.CANCELLED: [LedgerEvent.CONFIRMED, LedgerEvent.CANCELLED],
}

Key = tuple[int, str, str, int | None, int, int | None, str, str]


@dataclass(frozen=True)
class Position:
    volunteers: int = 0
    volunteer_months: Decimal = ZERO
    realised_volunteers: int = 0
    realised_months: Decimal = ZERO

    def minus(self, other: "Position") -> "Position":
        return Position(
            self.volunteers - other.volunteers,
            self.volunteer_months - other.volunteer_months,
            self.realised_volunteers - other.realised_volunteers,
            self.realised_months - other.realised_months,
        )

    def plus(self, other: "Position") -> "Position":
        return Position(
            self.volunteers + other.volunteers,
            self.volunteer_months + other.volunteer_months,
            self.realised_volunteers + other.realised_volunteers,
            self.realised_months + other.realised_months,
        )

    @property
    def is_zero(self) -> bool:
        return self == Position()


def direction_of(placement: Placement) -> str:
    """Which way the placement goes under its agreement (hosted by party B: A → B)."""
    agreement = placement.agreement
    if agreement is None:
        return Direction.NONE
    host_id = placement.mission.host_id
    if host_id == agreement.party_b_id:
        return Direction.A_TO_B
    if host_id == agreement.party_a_id:
        return Direction.B_TO_A
    if placement.host_country == agreement.party_b.country:
        return Direction.A_TO_B
    return Direction.B_TO_A


def snapshot_key(placement: Placement) -> Key:
    mission = placement.mission
    return (
        placement.start_date.year, str(placement.nationality), str(placement.host_country),
        placement.sending_organisation_id, mission.host_id, placement.agreement_id,
        mission.scheme_id, direction_of(placement),
    )


def position_after(placement: Placement, event: str, occurred_on: date, current: Position) -> Position:
    """The placement's position once `event` has happened."""
    planned = months_between(placement.start_date, placement.end_date)
    if event == LedgerEvent.CONFIRMED:
        return Position(1, planned, current.realised_volunteers, current.realised_months)
    if event == LedgerEvent.STARTED:
        return Position(1, planned, 1, planned)
    if event in (LedgerEvent.COMPLETED, LedgerEvent.INTERRUPTED):
        last_day = placement.ended_on or (
            placement.end_date if event == LedgerEvent.COMPLETED else occurred_on
        )
        served = months_between(placement.start_date, last_day)
        return Position(1, served, 1, served)
    if event == LedgerEvent.CANCELLED:
        return Position()
    if event == LedgerEvent.CORRECTION:
        return position_for_status(placement)
    raise ValueError(f"unknown ledger event {event!r}")


def position_for_status(placement: Placement) -> Position:
    """Where a placement stands given its status and dates alone."""
    position = Position()
    for event in STATUS_EVENTS[PlacementStatus(placement.status)]:
        position = position_after(placement, event, placement.ended_on or placement.end_date,
                                  position)
    return position


def _positions_by_key(placement_ids: Iterable[int]) -> dict[int, dict[Key, Position]]:
    rows = (
        LedgerEntry.objects.filter(placement_id__in=list(placement_ids))
        .values("placement_id", "year", "origin_country", "host_country",
                "sending_organisation_id", "host_organisation_id", "agreement_id", "scheme_id",
                "direction")
        .annotate(v=Sum("volunteers"), m=Sum("volunteer_months"),
                  rv=Sum("realised_volunteers"), rm=Sum("realised_months"))
        .order_by()
    )
    positions: dict[int, dict[Key, Position]] = defaultdict(dict)
    for row in rows:
        key: Key = (row["year"], row["origin_country"], row["host_country"],
                    row["sending_organisation_id"], row["host_organisation_id"],
                    row["agreement_id"], row["scheme_id"], row["direction"])
        positions[row["placement_id"]][key] = Position(
            row["v"] or 0, row["m"] or ZERO, row["rv"] or 0, row["rm"] or ZERO)
    return positions


def _entry(placement_id: int, key: Key, event: str, occurred_on: date, delta: Position, *,
           actor: User | None, note: str, corrects: LedgerEntry | None = None) -> LedgerEntry:
    year, origin, host, sender, host_org, agreement, scheme, direction = key
    return LedgerEntry(
        placement_id=placement_id, event=event, occurred_on=occurred_on, year=year,
        origin_country=origin, host_country=host, sending_organisation_id=sender,
        host_organisation_id=host_org, agreement_id=agreement, scheme_id=scheme,
        direction=direction, volunteers=delta.volunteers, volunteer_months=delta.volunteer_months,
        realised_volunteers=delta.realised_volunteers, realised_months=delta.realised_months,
        recorded_by=actor, note=note, corrects=corrects,
    )


def _entries_for(placement: Placement, event: str, occurred_on: date,
                 held: dict[Key, Position], *, actor: User | None, note: str) -> list[LedgerEntry]:
    """The entry for `event`, plus corrections emptying keys the placement no longer has."""
    key = snapshot_key(placement)
    current = held.get(key, Position())
    target = position_after(placement, event, occurred_on, current)
    entries = [_entry(placement.pk, key, event, occurred_on, target.minus(current),
                      actor=actor, note=note)]
    held[key] = target
    for other, position in list(held.items()):
        if other != key and not position.is_zero:
            entries.append(_entry(placement.pk, other, LedgerEvent.CORRECTION, occurred_on,
                                  Position().minus(position), actor=actor,
                                  note=note or "moved to another year, pair or agreement"))
            held[other] = Position()
    return entries


def _append(entries: list[LedgerEntry]) -> None:
    """Write entries and add them to the running totals, in one transaction."""
    if not entries:
        return
    with transaction.atomic():
        LedgerEntry.objects.bulk_create(entries, batch_size=1000)
        _add_to_totals(entries)
        caching.bump_on_commit()


def _add_to_totals(entries: Iterable[LedgerEntry]) -> None:
    sums: dict[tuple, list] = defaultdict(lambda: [0, ZERO, 0, ZERO, 0])
    for e in entries:
        key = (e.year, str(e.origin_country), str(e.host_country), e.scheme_id, e.agreement_id,
               e.direction)
        total = sums[key]
        total[0] += e.volunteers
        total[1] += Decimal(e.volunteer_months)
        total[2] += e.realised_volunteers
        total[3] += Decimal(e.realised_months)
        total[4] += 1
    for (year, origin, host, scheme, agreement, direction), (v, m, rv, rm, n) in sums.items():
        lookup = {"year": year, "origin_country": origin, "host_country": host,
                  "scheme_id": scheme, "agreement_key": agreement or 0, "direction": direction}
        increments = {"volunteers": F("volunteers") + v,
                      "volunteer_months": F("volunteer_months") + m,
                      "realised_volunteers": F("realised_volunteers") + rv,
                      "realised_months": F("realised_months") + rm, "entries": F("entries") + n}
        if LedgerTotal.objects.filter(**lookup).update(**increments):
            continue
        try:
            # A concurrent writer may create the same key first: then add to its row.
            with transaction.atomic():
                LedgerTotal.objects.create(
                    **lookup, agreement_id=agreement, volunteers=v, volunteer_months=m,
                    realised_volunteers=rv, realised_months=rm, entries=n)
        except IntegrityError:
            LedgerTotal.objects.filter(**lookup).update(**increments)


@transaction.atomic
def ledger_totals_rebuild() -> int:
    """Recompute the running totals from the entries (after a bulk load in SQL, or to check
    them); returns the number of total rows."""
    LedgerTotal.objects.all().delete()
    rows = (
        LedgerEntry.objects.values("year", "origin_country", "host_country", "scheme_id",
                                   "agreement_id", "direction")
        .annotate(v=Sum("volunteers"), m=Sum("volunteer_months"),
                  rv=Sum("realised_volunteers"), rm=Sum("realised_months"), n=Count("id"))
        .order_by()
    )
    totals = [
        LedgerTotal(
            year=r["year"], origin_country=r["origin_country"], host_country=r["host_country"],
            scheme_id=r["scheme_id"], agreement_id=r["agreement_id"],
            agreement_key=r["agreement_id"] or 0, direction=r["direction"], volunteers=r["v"],
            volunteer_months=r["m"], realised_volunteers=r["rv"], realised_months=r["rm"],
            entries=r["n"])
        for r in rows
    ]
    LedgerTotal.objects.bulk_create(totals, batch_size=2000)
    caching.bump_on_commit()
    return len(totals)


def ledger_record_placement_event(
    *, placement: Placement, event: str, occurred_on: date, actor: User | None = None, note: str = ""
) -> LedgerEntry:
    """Append the entry for a placement event (call it inside the transition's transaction)."""
    held = _positions_by_key([placement.pk]).get(placement.pk, {})
    entries = _entries_for(placement, event, occurred_on, held, actor=actor, note=note)
    _append(entries)
    return entries[0]


def ledger_record_correction(
    *, placement: Placement, occurred_on: date, actor: User | None = None, note: str
) -> LedgerEntry:
    """Bring the ledger in line with the placement as it now is (dates or snapshot edited)."""
    return ledger_record_placement_event(
        placement=placement, event=LedgerEvent.CORRECTION, occurred_on=occurred_on,
        actor=actor, note=note,
    )


def ledger_backfill(*, placement_ids: Iterable[int] | None = None) -> int:
    """Write the events implied by the status of placements the ledger does not know yet
    (imports, the demo network, data from before the ledger); returns the entries written.

    Placements that already have entries are left to their events. Event days: confirmation
    and start on the start date, the end on `ended_on` (or the end date), a cancellation on the
    start date.
    """
    qs = Placement.objects.exclude(status=PlacementStatus.PROPOSED).filter(
        ledger_entries__isnull=True
    )
    if placement_ids is not None:
        qs = qs.filter(pk__in=list(placement_ids))
    qs = qs.select_related("mission", "agreement", "agreement__party_b").order_by("pk")
    entries: list[LedgerEntry] = []
    for placement in qs.iterator(chunk_size=1000):
        held: dict[Key, Position] = {}
        for event in STATUS_EVENTS[PlacementStatus(placement.status)]:
            day = placement.start_date
            if event in (LedgerEvent.COMPLETED, LedgerEvent.INTERRUPTED):
                day = placement.ended_on or placement.end_date
            entries.extend(_entries_for(placement, event, day, held, actor=None,
                                        note="backfilled from the placement's status"))
    _append(entries)
    return len(entries)


def ledger_sync_placements(*, placement_ids: Iterable[int], occurred_on: date,
                           note: str) -> int:
    """After placements were rewritten outside their transitions (a re-import): backfill the
    new ones and append one correction per placement whose position no longer matches."""
    ids = list(placement_ids)
    written = ledger_backfill(placement_ids=ids)
    held_by_placement = _positions_by_key(ids)
    placements = Placement.objects.filter(pk__in=ids).select_related(
        "mission", "agreement", "agreement__party_b")
    entries: list[LedgerEntry] = []
    for placement in placements:
        held = held_by_placement.get(placement.pk, {})
        if not held:
            continue
        key = snapshot_key(placement)
        target = position_for_status(placement)
        aligned = held.get(key, Position()) == target and all(
            position.is_zero for other, position in held.items() if other != key)
        if not aligned:
            entries.extend(_entries_for(placement, LedgerEvent.CORRECTION, occurred_on, held,
                                        actor=None, note=note))
    _append(entries)
    return written + len(entries)


@dataclass(frozen=True)
class Reattachment:
    placement_id: int
    old_agreement_id: int | None
    new_agreement_id: int


@transaction.atomic
def ledger_reattach_agreements(*, occurred_on: date, note: str,
                               placement_ids: Iterable[int] | None = None) -> list[Reattachment]:
    """Give every non-cancelled placement the agreement the coverage rule finds for it
    (agreements/coverage.py), and append the ledger corrections that move its position from
    the old agreement to the new one (the old key brought back to zero, the new one credited:
    `ledger_sync_placements`). Entries are never edited.

    Only a rule that finds exactly one agreement moves a placement: a placement the rule finds
    nothing for, or an ambiguous one, keeps the agreement it has (named by an import's
    `agreement_ref`, set by hand: a choice the rule cannot overrule).
    """
    from reciprocity.agreements.coverage import CoverageIndex

    index = CoverageIndex.load()
    qs = Placement.objects.exclude(status=PlacementStatus.CANCELLED).select_related("mission")
    if placement_ids is not None:
        qs = qs.filter(pk__in=list(placement_ids))
    moved: list[Reattachment] = []
    for placement in qs.order_by("pk").iterator(chunk_size=1000):
        decision = index.decide(
            sender=placement.sending_organisation_id, host=placement.mission.host_id,
            scheme=placement.mission.scheme_id, on=placement.start_date,
            named=placement.mission.agreement_id)
        if decision.agreement is None or decision.agreement == placement.agreement_id:
            continue
        moved.append(Reattachment(placement.pk, placement.agreement_id, decision.agreement))
        placement.agreement_id = decision.agreement
        # save(), not update(): the audit log records the change of agreement.
        placement.save(update_fields=["agreement", "updated_at"])
    if moved:
        ledger_sync_placements(placement_ids=[m.placement_id for m in moved],
                               occurred_on=occurred_on, note=note)
    return moved
