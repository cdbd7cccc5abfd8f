"""The workflow's use-cases (docs/workflow.md): each one a transaction over the services of
applications, placements and procedures, in the order the apps' own rules require.

    accept a choice ─▶ proposed placement + offer ─▶ offer accepted ─▶ confirm ─▶ procedure
          │                                 └─ declined / expired ─▶ placement lapses,
          │                                                          next reserve accepted
    withdraw the application ─▶ its proposed placements are cancelled
    confirm, start, complete, cancel (once confirmed), interrupt ─▶ the ledger entry

The workflow sits above the balance: the ledger entry of each move the balance counts and the
agreement's tolerance at confirmation are written and asked here, in the move's transaction,
so that placements imports nothing from the balance (ADR 0005).

`today` and `now` come from the edge (a view, an API operation, a command, the demo builder):
no service here reads the clock.
"""

import logging
from datetime import date, datetime
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from reciprocity.accounts.models import User
from reciprocity.agreements.models import Agreement, QuotaUnit
from reciprocity.applications import permissions as application_permissions
from reciprocity.applications.models import (
    Application,
    ApplicationChoice,
    Offer,
    OfferStatus,
)
from reciprocity.applications.offers import (
    offer_check_may_answer,
    offer_close,
    offer_lock,
    offer_make,
    offer_tell_host_after_close,
    waiting_list,
)
from reciprocity.applications.services import (
    application_choice_check_acceptable,
    application_choice_mark_accepted,
    application_lock,
    application_mark_placed,
    application_mark_withdrawn,
    application_tell_accepted,
    application_tell_withdrawn,
)
from reciprocity.balance.selectors import agreement_tolerance_check
from reciprocity.balance.services import direction_of, ledger_record_placement_event
from reciprocity.core.exceptions import (
    ApplicationError,
    CapacityExceeded,
    InvalidTransition,
    NotAllowed,
)
from reciprocity.core.l10n import format_day
from reciprocity.domain.dates import months_between
from reciprocity.missions.models import Mission, MissionStatus
from reciprocity.placements import services as placement_services
from reciprocity.placements.models import (
    HOLDING_STATUSES,
    Placement,
    PlacementStatus,
    TerminationReason,
)
from reciprocity.placements.selectors import places_taken
from reciprocity.placements.services import (
    placement_cancel_other_proposals,
    placement_confirm_checked,
    placement_create_from_choice,
    placement_lapse,
    placement_tell_confirmed,
)
from reciprocity.procedures.eligibility import (
    eligibility_gate,
    eligibility_verdict,
    placement_ineligibility,
)
from reciprocity.procedures.services import procedure_open_for_placement

OS = OfferStatus
logger = logging.getLogger(__name__)


# --- accepting a choice -------------------------------------------------------------------------


@transaction.atomic
def application_choice_accept(
    *, actor: User | None, choice: ApplicationChoice, today: date, now: datetime,
    check_permission: bool = True, override_reason: str = "",
) -> ApplicationChoice:
    """The host accepts at `now`: the choice is accepted, a proposed placement is created and the
    volunteer is offered the place (applications/offers.py), to answer by `today` +
    OFFER_RESPONSE_DAYS; the placement is confirmed once the offer is accepted (which is when
    places, quota and accreditation are checked and taken). `check_permission=False`: the
    waiting list moving after a declined or expired offer, on the host's earlier ranking."""
    application_choice_check_acceptable(actor=actor, choice=choice, check_permission=check_permission)
    note = ""
    if check_permission:
        # A host's decision: the volunteer must be eligible now (the engine's verdict,
        # recomputed), unless staff override it with a reason kept in the history
        # (procedures/eligibility.py). The waiting list's automatic moves are judged again
        # at confirmation.
        assert actor is not None  # application_choice_check_acceptable refused None
        verdict = eligibility_verdict(volunteer=choice.application.volunteer, mission=choice.mission)
        note = eligibility_gate(reasons=verdict["reasons"] if verdict["checked"] else [],
                                actor=actor, override_reason=override_reason)
    choice = application_choice_mark_accepted(
        actor=actor, choice=choice, now=now, note=note, check_permission=check_permission
    )
    placement = placement_create_from_choice(choice=choice, actor=actor)
    offer = offer_make(placement_id=placement.pk, choice=choice, actor=actor, today=today)
    application_tell_accepted(choice=choice, deadline=offer.deadline)
    return choice


# --- withdrawing an application -------------------------------------------------------------------


@transaction.atomic
def application_withdraw(
    *, actor: User, application: Application, today: date, reason: str = ""
) -> Application:
    """Withdraw at any time before a placement is confirmed; proposed placements are cancelled."""
    if not application_permissions.can_withdraw(actor, application):
        raise NotAllowed(_("You may not withdraw this application."))
    application = application_lock(application)
    if Placement.objects.filter(application=application, status__in=HOLDING_STATUSES).exists():
        raise InvalidTransition(
            _("A placement has been confirmed: cancel the placement instead of withdrawing."),
            code="already_confirmed",
        )
    application_mark_withdrawn(actor=actor, application=application, reason=reason)
    for placement in Placement.objects.filter(
        application=application, status=PlacementStatus.PROPOSED
    ):
        # Proposed only: never counted, so no ledger entry (placement_cancel below).
        placement_services.placement_cancel(
            placement=placement, actor=actor, reason=reason or str(_("Application withdrawn.")),
            on=today, check_permission=False,
        )
    application_tell_withdrawn(application=application)
    return application


# --- confirming a placement ---------------------------------------------------------------------


@transaction.atomic
def placement_confirm(
    *, placement: Placement, actor: User, today: date, now: datetime, override_reason: str = "",
    tolerance_reason: str = "",
) -> Placement:
    """Confirm (placements.services.placement_confirm_checked: places, quota, accreditation,
    eligibility, tolerance, in that order) and write the ledger entry, then mark the
    application placed, let its other proposals lapse, open the hosting procedure after commit
    (computed at `now`, the edge's moment) and tell the parties.

    The volunteer must be eligible (`not_eligible`, with the engine's reasons), unless platform
    staff override it with `override_reason`, kept in the history.
    """

    def eligibility_note(checked: Placement) -> str:
        return eligibility_gate(reasons=placement_ineligibility(checked), actor=actor,
                                override_reason=override_reason)

    def tolerance_note(checked: Placement, agreement: Agreement) -> str:
        return _tolerance_note(checked, agreement, tolerance_reason)

    placement = placement_confirm_checked(
        placement=placement, actor=actor, today=today, eligibility_note=eligibility_note,
        tolerance_note=tolerance_note,
    )
    ledger_record_placement_event(placement=placement, event="confirmed", occurred_on=today, actor=actor)
    if placement.application is not None:
        application_mark_placed(application=placement.application, actor=actor)
        placement_cancel_other_proposals(placement=placement, actor=actor)
    placement_id = placement.pk
    transaction.on_commit(
        lambda: procedure_open_after_confirm(placement_id=placement_id, today=today, now=now)
    )
    placement_tell_confirmed(placement=placement)
    return placement


def _tolerance_note(placement: Placement, agreement: Agreement, reason: str) -> str:
    """The agreement's balance once this placement counts (the computation the alerts and the
    agreement pages use: balance.selectors.agreement_tolerance_check); returns the sentence
    for the history row when the placement takes the agreement outside its tolerance. Asked by
    placements' `placement_confirm_checked` with the agreement it locked."""
    in_months = agreement.unit == QuotaUnit.VOLUNTEER_MONTHS
    check = agreement_tolerance_check(
        agreement=agreement, year=placement.start_date.year, direction=direction_of(placement),
        amount=months_between(placement.start_date, placement.end_date) if in_months else Decimal(1),
    )
    if check is None or not check.leaves_tolerance:
        return ""
    values = {"title": agreement.title, "year": check.after.year,
              "position": check.after.position, "tolerance": check.after.tolerance,
              "unit": QuotaUnit(agreement.unit).label}
    details = {"agreement": agreement.pk, "year": check.after.year,
               "position_before": str(check.before.position),
               "position_after": str(check.after.position),
               "tolerance": str(check.after.tolerance), "unit": agreement.unit}
    if agreement.tolerance_strict:
        raise CapacityExceeded(
            _("This placement would take “%(title)s” outside its tolerance in %(year)d "
              "(position %(position)s, tolerance %(tolerance)s %(unit)s), and the agreement "
              "refuses that.") % values,
            code="tolerance_strict", details=details,
        )
    if not reason.strip():
        raise ApplicationError(
            _("This placement would take “%(title)s” outside its tolerance in %(year)d "
              "(position %(position)s, tolerance %(tolerance)s %(unit)s): give the reason.")
            % values,
            code="tolerance_reason_required", details=details,
        )
    return _("Beyond the tolerance of “%(title)s” (position %(position)s, tolerance "
             "%(tolerance)s): %(reason)s") % {**values, "reason": reason.strip()}


def procedure_open_after_confirm(*, placement_id: int, today: date, now: datetime) -> None:
    """After commit: compute the hosting procedure of the newly confirmed placement.

    A failure here (facts the engine cannot evaluate) must not undo the confirmation; the daily
    `reciprocity procedures sync` retries every confirmed placement without a procedure.
    """
    try:
        procedure_open_for_placement(
            placement=Placement.objects.get(pk=placement_id), today=today, now=now
        )
    except ApplicationError:
        logger.warning("no procedure opened for placement %s", placement_id, exc_info=True)


# --- after the confirmation: each move with its ledger entry ---------------------------------------


@transaction.atomic
def placement_start(*, placement: Placement, actor: User, on: date | None = None) -> Placement:
    """The mission has begun (placements.services.placement_start); the ledger's day is `on`,
    else the start date."""
    placement = placement_services.placement_start(placement=placement, actor=actor, on=on)
    ledger_record_placement_event(
        placement=placement, event="started", occurred_on=on or placement.start_date, actor=actor
    )
    return placement


@transaction.atomic
def placement_complete(*, placement: Placement, actor: User, on: date | None = None) -> Placement:
    """The mission is over (placements.services.placement_complete); the ledger's day is the
    day it ended."""
    placement = placement_services.placement_complete(placement=placement, actor=actor, on=on)
    assert placement.ended_on is not None  # set by the completion
    ledger_record_placement_event(
        placement=placement, event="completed", occurred_on=placement.ended_on, actor=actor
    )
    return placement


@transaction.atomic
def placement_cancel(
    *, placement: Placement, actor: User, reason: str, on: date, check_permission: bool = True,
) -> Placement:
    """Cancel before the start (placements.services.placement_cancel). Only a confirmed
    placement was counted: its cancellation is a ledger entry on `on`; a cancelled proposal
    never reached the ledger."""
    # Locked before reading the status, so that it cannot change until the cancellation.
    was_holding = Placement.objects.select_for_update().filter(
        pk=placement.pk, status__in=HOLDING_STATUSES
    ).exists()
    placement = placement_services.placement_cancel(
        placement=placement, actor=actor, reason=reason, on=on, check_permission=check_permission
    )
    if was_holding:
        ledger_record_placement_event(
            placement=placement, event="cancelled", occurred_on=on, actor=actor, note=reason.strip()
        )
    return placement


@transaction.atomic
def placement_interrupt(
    *, placement: Placement, actor: User, on: date, reason: str,
    termination_reason: str = TerminationReason.OTHER,
) -> Placement:
    """Early termination after the start (placements.services.placement_interrupt); the
    ledger's day is the last day."""
    placement = placement_services.placement_interrupt(
        placement=placement, actor=actor, on=on, reason=reason, termination_reason=termination_reason
    )
    ledger_record_placement_event(
        placement=placement, event="interrupted", occurred_on=on, actor=actor, note=reason.strip()
    )
    return placement


# --- offers declined or expired: the waiting list moves ------------------------------------------


@transaction.atomic
def offer_decline(
    *, actor: User, offer: Offer, today: date, now: datetime, reason: str = ""
) -> Offer:
    """The volunteer's side declines: the place goes to the first of the waiting list."""
    offer = offer_lock(offer)
    offer_check_may_answer(actor, offer, today)
    reason = reason.strip() or str(_("The volunteer declined the offer."))
    return _close(offer, OS.DECLINED, actor=actor, reason=reason, today=today, now=now)


def offers_expire(*, today: date, now: datetime) -> list[Offer]:
    """Expire every pending offer whose deadline has passed (safe to run daily, or twice: an
    offer is expired once); each one moves its mission's waiting list (a reserve accepted at
    `now`)."""
    expired = []
    for offer_id in (
        Offer.objects.filter(status=OS.PENDING, deadline__lt=today).order_by("deadline", "pk")
        .values_list("pk", flat=True)
    ):
        with transaction.atomic():
            offer = offer_lock(Offer(pk=offer_id))
            if offer.status != OS.PENDING:
                continue  # answered meanwhile
            reason = str(_("The offer expired on %(deadline)s without an answer.")
                         % {"deadline": format_day(offer.deadline)})
            expired.append(
                _close(offer, OS.EXPIRED, actor=None, reason=reason, today=today, now=now)
            )
    return expired


def _close(
    offer: Offer, to: str, *, actor: User | None, reason: str, today: date, now: datetime
) -> Offer:
    """Declined or expired: the offer closes, its choice is withdrawn, its placement lapses,
    and the waiting list moves."""
    offer_close(offer=offer, to=to, actor=actor, reason=reason, now=now)
    placement = Placement.objects.get(pk=offer.placement_id)
    if placement.status == PlacementStatus.PROPOSED:
        placement_lapse(placement=placement, actor=actor, reason=reason)
    promoted = _promote_next(offer.choice.mission, today=today, now=now)
    offer_tell_host_after_close(offer=offer, to=to, promoted=promoted)
    return offer


def _promote_next(mission: Mission, *, today: date, now: datetime) -> ApplicationChoice | None:
    """Accept the first reserve of the mission that can still be accepted (a new offer), if the
    mission still takes volunteers; a reserve the rules refuse now stays on the list."""
    mission = Mission.objects.select_for_update().get(pk=mission.pk)
    if mission.status == MissionStatus.CANCELLED:
        return None
    if places_taken(mission_id=mission.pk) >= mission.capacity:
        return None
    for reserve in waiting_list(mission):
        try:
            with transaction.atomic():
                # The host ranked the list: its order is the decision, nobody acts now.
                return application_choice_accept(
                    actor=None, choice=reserve, today=today, now=now, check_permission=False
                )
        except ApplicationError:
            logger.info("reserve %s of mission %s skipped", reserve.pk, mission.pk, exc_info=True)
    return None
