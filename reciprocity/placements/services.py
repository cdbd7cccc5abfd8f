"""Placements: creation (from an accepted choice or an engine proposal) and the lifecycle.

    proposed ─▶ confirmed ─▶ in_mission ─▶ completed
        │           │             └──────▶ interrupted (after the start: date and reason)
        └───────────┴─▶ cancelled (before the start: reason, and who cancelled)

Every change goes through `_transition`, which refuses what `TRANSITIONS` does not list and
writes a `PlacementStatusChange` row. The ledger entries of the events the balance counts are
written in the same transaction by the workflow (reciprocity/workflow/services.py), which sits
above the balance: this app imports nothing from it (ADR 0005).
"""

from collections.abc import Callable
from datetime import date
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from reciprocity.accounts.models import User
from reciprocity.agreements.coverage import agreement_covering
from reciprocity.agreements.models import Agreement, QuotaUnit
from reciprocity.agreements.quotas import quota_of
from reciprocity.applications.models import Application, ApplicationChoice, ChoiceStatus
from reciprocity.applications.offers import offer_check_accepted, offer_withdraw_for_placement
from reciprocity.core.exceptions import (
    ApplicationError,
    CapacityExceeded,
    InvalidTransition,
    NotAllowed,
)
from reciprocity.core.l10n import format_day
from reciprocity.domain.dates import months_between
from reciprocity.missions.models import Mission, MissionStatus
from reciprocity.notifications.selectors import organisation_officers
from reciprocity.notifications.services import notify
from reciprocity.partners.models import Accreditation
from reciprocity.placements import permissions
from reciprocity.placements.models import (
    Evaluation,
    FollowUp,
    Pairing,
    PairingMember,
    PairingSide,
    Placement,
    PlacementStatus,
    PlacementStatusChange,
    TerminationReason,
)
from reciprocity.placements.selectors import holding_on, places_taken, quota_direction, quota_used
from reciprocity.schemes.models import SchemeRule
from reciprocity.schemes.services import scheme_suspension_check
from reciprocity.volunteers.models import Volunteer

P = PlacementStatus

TRANSITIONS: dict[str, set[str]] = {
    P.PROPOSED: {P.CONFIRMED, P.CANCELLED},
    P.CONFIRMED: {P.IN_MISSION, P.CANCELLED},
    P.IN_MISSION: {P.COMPLETED, P.INTERRUPTED},
    P.COMPLETED: set(),
    P.CANCELLED: set(),
    P.INTERRUPTED: set(),
}


def check_transition(current: str, to: str) -> None:
    """Raise `InvalidTransition` with a readable message unless `TRANSITIONS` allows the move."""
    if to not in TRANSITIONS[current]:
        allowed = ", ".join(str(P(s).label) for s in sorted(TRANSITIONS[current])) or "—"
        raise InvalidTransition(
            _("A placement that is “%(current)s” cannot become “%(target)s” (possible: %(allowed)s).")
            % {"current": P(current).label, "target": P(to).label, "allowed": allowed},
            details={"from": current, "to": to, "allowed": sorted(TRANSITIONS[current])},
        )


def _transition(
    placement: Placement, to: str, *, actor: User | None, reason: str = "",
    fields: tuple[str, ...] = (),
) -> Placement:
    current = placement.status
    check_transition(current, to)
    placement.status = to
    placement.save(update_fields=["status", "updated_at", *fields])
    PlacementStatusChange.objects.create(
        placement=placement, from_status=current, to_status=to, changed_by=actor, reason=reason
    )
    if to == P.CANCELLED:
        # A cancelled placement cannot be taken any more: its pending offer lapses with it.
        offer_withdraw_for_placement(placement_id=placement.pk, actor=actor, reason=reason)
    return placement


def _require_manager(actor: User, placement: Placement) -> None:
    if not permissions.can_manage(actor, placement):
        raise NotAllowed(_("Only the host's or the sending organisation's officers may do this."))


def _notify_parties(placement: Placement, subject: object, body: object, verb: str) -> None:
    users = organisation_officers([placement.mission.host_id, placement.sending_organisation_id])
    if placement.volunteer.user is not None:
        users.append(placement.volunteer.user)
    notify(
        users=users, subject=subject, body=body,
        link=reverse("placements:detail", args=[placement.pk]), verb=verb,
    )


# --- creation -----------------------------------------------------------------------------------


@transaction.atomic
def placement_propose(
    *, volunteer: Volunteer, mission: Mission, actor: User | None = None,
    application: Application | None = None, start_date: date | None = None,
    end_date: date | None = None, tutor_name: str = "", tutor_email: str = "",
    tutor_phone: str = "",
) -> Placement:
    """A proposed placement (from an accepted choice, or from a batch engine run).

    Nationality, host country, scheme and gender are copied now: later edits of the volunteer or the mission
    must not move the balance. Nothing is taken from capacity or quotas until confirmation.
    """
    start, end = start_date or mission.start_date, end_date or mission.end_date
    if start > end:
        raise ApplicationError(_("The placement cannot end before it starts."), code="bad_period")
    sender_id = (
        application.sending_organisation_id if application else volunteer.sending_organisation_id
    )
    host = mission.host
    placement = Placement(
        volunteer=volunteer, mission=mission, application=application,
        sending_organisation_id=sender_id,
        # The mission's own agreement, else the one agreement covering sender and host (parties
        # or affiliated to them); two are refused (`agreement_ambiguous`): agreements/coverage.py.
        agreement=agreement_covering(
            mission_agreement_id=mission.agreement_id, sending_organisation_id=sender_id,
            host_id=mission.host_id, scheme_id=mission.scheme_id, on=start,
        ),
        nationality=volunteer.nationality.code, host_country=mission.country.code,  # type: ignore[attr-defined]  # django-countries' Country
        scheme_id=mission.scheme_id, gender=volunteer.gender,
        start_date=start, end_date=end, status=P.PROPOSED,
        tutor_name=tutor_name or host.contact_name, tutor_email=tutor_email or host.email,
        tutor_phone=tutor_phone or host.phone,
    )
    try:
        with transaction.atomic():
            placement.save()
    except IntegrityError as exc:
        raise ApplicationError(
            _("This volunteer already has a placement on this mission."), code="already_placed"
        ) from exc
    PlacementStatusChange.objects.create(
        placement=placement, from_status="", to_status=P.PROPOSED, changed_by=actor
    )
    return placement


def placement_create_from_choice(*, choice: ApplicationChoice, actor: User | None) -> Placement:
    if choice.status != ChoiceStatus.ACCEPTED:
        raise InvalidTransition(
            _("Only an accepted choice becomes a placement."), code="choice_not_accepted"
        )
    application = choice.application
    return placement_propose(
        volunteer=application.volunteer, mission=choice.mission, actor=actor,
        application=application,
    )


# --- confirmation: places, quota, accreditation ---------------------------------------------


def _accreditation_required(scheme_id: str, on: date) -> bool:
    rule = SchemeRule.objects.in_force(scheme_code=scheme_id, on=on).get("host_accreditation_required")
    return bool(rule and rule.value)


def _check_places(mission: Mission) -> None:
    taken = places_taken(mission_id=mission.pk)
    if taken >= mission.capacity:
        raise CapacityExceeded(
            _("The mission has no place left (%(taken)d of %(capacity)d taken).")
            % {"taken": taken, "capacity": mission.capacity},
            code="mission_full", details={"taken": taken, "capacity": mission.capacity},
        )


def _check_quota(placement: Placement, agreement: Agreement) -> None:
    direction = quota_direction(
        agreement, nationality=placement.nationality.code, host_country=placement.host_country.code  # type: ignore[attr-defined]  # django-countries' Country
    )
    if direction is None:
        return
    year = placement.start_date.year
    # The year's quota (a yearly row may replace the agreement's own: agreements/quotas.py).
    quota = quota_of(agreement, year).for_direction(direction)
    in_months = agreement.unit == QuotaUnit.VOLUNTEER_MONTHS
    used = quota_used(
        agreement, nationality=placement.nationality.code,  # type: ignore[attr-defined]  # django-countries' Country
        host_country=placement.host_country.code, year=year, in_months=in_months,  # type: ignore[attr-defined]  # django-countries' Country
    )
    needed = float(months_between(placement.start_date, placement.end_date)) if in_months else 1
    if Decimal(str(used)) + Decimal(str(needed)) > quota:
        raise CapacityExceeded(
            _("The agreement's %(year)d quota in this direction is used up (%(used)s of %(quota)s %(unit)s).")
            % {"year": year, "used": used, "quota": quota, "unit": QuotaUnit(agreement.unit).label},
            code="quota_exceeded",
            details={"year": year, "direction": direction, "used": used, "needed": needed,
                     "quota": quota, "unit": agreement.unit},
        )


def _check_accreditation(placement: Placement, accreditation: Accreditation | None, required: bool) -> None:
    mission = placement.mission
    if accreditation is None:
        if required:
            raise CapacityExceeded(
                _("The host holds no accreditation for this scheme valid on %(day)s.")
                % {"day": format_day(placement.start_date)},
                code="host_not_accredited",
            )
        return
    used = holding_on(
        host_id=mission.host_id, scheme_id=mission.scheme_id, on=placement.start_date
    ).count()
    if used >= accreditation.authorised_volunteers:
        raise CapacityExceeded(
            _("The host's accreditation %(number)s allows %(n)d volunteers at once; all are taken.")
            % {"number": accreditation.number, "n": accreditation.authorised_volunteers},
            code="accreditation_full",
            details={"used": used, "authorised": accreditation.authorised_volunteers},
        )


def placement_confirm_checked(
    *, placement: Placement, actor: User, today: date,
    eligibility_note: Callable[[Placement], str],
    tolerance_note: Callable[[Placement, Agreement], str],
) -> Placement:
    """Confirm: take a place in the mission, in the agreement's yearly quota for that direction
    and in the host's accreditation, or refuse with the reason. Called inside the workflow's
    `placement_confirm` transaction (reciprocity/workflow/services.py), which marks the
    application placed, opens the procedure after commit and tells the parties.

    `eligibility_note` is the eligibility gate (the procedures engine's verdict, owned above
    this app): it refuses (`not_eligible`) or returns the sentence of a staff override for the
    history row; it is asked after places, quota and accreditation, as before. `tolerance_note`
    is the agreement's balance once this placement counts (the balance, owned above this app;
    asked last, with the locked agreement, when the placement has one): it refuses
    (`tolerance_reason_required`, `tolerance_strict`) or returns the sentence of the reason
    given. Both sentences are kept in the history. The ledger entry is the caller's.

    Locks are taken in one fixed order (mission, agreement, accreditation, then the placement)
    so that concurrent confirmations queue instead of deadlocking, and each check reads counts
    that nobody else can change before this transaction commits.
    """
    _require_manager(actor, placement)
    mission = Mission.objects.select_for_update().get(pk=placement.mission_id)
    agreement = (
        Agreement.objects.select_for_update().select_related("party_a", "party_b").get(
            pk=placement.agreement_id
        )
        if placement.agreement_id else None
    )
    # The accreditation used is the largest one valid on the start date (ties: oldest row).
    accreditation = (
        Accreditation.objects.select_for_update()
        .filter(
            organisation_id=mission.host_id, scheme_id=mission.scheme_id,
            valid_from__lte=placement.start_date, valid_to__gte=placement.start_date,
        )
        .order_by("-authorised_volunteers", "pk")
        .first()
    )
    placement = Placement.objects.select_for_update().get(pk=placement.pk)
    placement.mission = mission
    check_transition(placement.status, P.CONFIRMED)
    # A placement offered to the volunteer waits for their yes (applications/offers.py).
    offer_check_accepted(placement_id=placement.pk)
    if mission.status == MissionStatus.CANCELLED:
        raise InvalidTransition(
            _("The mission has been cancelled: its placements cannot be confirmed."),
            code="mission_cancelled",
        )
    # Confirming signs the contract: refused while the scheme is suspended (a budget freeze).
    scheme_suspension_check(scheme_code=mission.scheme_id, on=today)
    _check_places(mission)
    if agreement is not None:
        _check_quota(placement, agreement)
    _check_accreditation(
        placement, accreditation, _accreditation_required(mission.scheme_id, placement.start_date)
    )
    notes = [eligibility_note(placement)]
    if agreement is not None:
        placement.agreement = agreement
        notes.append(tolerance_note(placement, agreement))
    _transition(placement, P.CONFIRMED, actor=actor, reason=" ".join(n for n in notes if n))
    return placement


def placement_cancel_other_proposals(*, placement: Placement, actor: User | None) -> None:
    """The volunteer is placed: other proposals from the same application lapse."""
    for other in Placement.objects.filter(
        application=placement.application, status=P.PROPOSED
    ).exclude(pk=placement.pk):
        _transition(other, P.CANCELLED, actor=actor, reason=str(_("Placed on another mission.")))


def placement_tell_confirmed(*, placement: Placement) -> None:
    _notify_parties(
        placement,
        _("Placement confirmed: “%(mission)s”") % {"mission": placement.mission.title},
        _("%(volunteer)s is confirmed from %(start)s to %(end)s.")
        % {"volunteer": placement.volunteer, "start": placement.start_date, "end": placement.end_date},
        "placement.confirmed",
    )


# --- during the mission -------------------------------------------------------------------------


def _locked(placement: Placement) -> Placement:
    return Placement.objects.select_for_update().select_related("mission", "volunteer").get(
        pk=placement.pk
    )


@transaction.atomic
def placement_start(*, placement: Placement, actor: User, on: date | None = None) -> Placement:
    """The volunteer has arrived and the mission has begun (the ledger entry: the workflow's
    `placement_start`, on `on` or the start date)."""
    _require_manager(actor, placement)
    placement = _locked(placement)
    _transition(placement, P.IN_MISSION, actor=actor)
    return placement


@transaction.atomic
def placement_complete(*, placement: Placement, actor: User, on: date | None = None) -> Placement:
    _require_manager(actor, placement)
    placement = _locked(placement)
    day = on or placement.end_date
    if day < placement.start_date:
        raise ApplicationError(_("A mission cannot end before it starts."), code="bad_date")
    placement.ended_on = day
    _transition(placement, P.COMPLETED, actor=actor, fields=("ended_on",))
    _notify_parties(
        placement, _("Mission completed: “%(mission)s”") % {"mission": placement.mission.title},
        _("The end-of-mission certificate can be downloaded from the placement page."),
        "placement.completed",
    )
    return placement


@transaction.atomic
def placement_cancel(
    *, placement: Placement, actor: User, reason: str, on: date, check_permission: bool = True,
) -> Placement:
    """Cancel before the start, with a reason; the history row records who cancelled. `on`:
    the day of the cancellation, the ledger's day when the workflow's `placement_cancel`
    cancels a confirmed placement."""
    if check_permission:
        _require_manager(actor, placement)
    if not reason.strip():
        raise ApplicationError(_("Give the reason for the cancellation."), code="reason_required")
    placement = _locked(placement)
    placement.end_reason = reason.strip()
    _transition(placement, P.CANCELLED, actor=actor, reason=reason.strip(), fields=("end_reason",))
    _notify_parties(
        placement, _("Placement cancelled: “%(mission)s”") % {"mission": placement.mission.title},
        reason.strip(), "placement.cancelled",
    )
    return placement


@transaction.atomic
def placement_lapse(*, placement: Placement, actor: User | None, reason: str) -> Placement:
    """A proposal nobody cancelled that can no longer be taken: its offer was declined by the
    volunteer's side or expired unanswered (applications/offers.py). No permission to check:
    the offer's own rules decided; `actor` is who declined, None for an expiry."""
    placement = _locked(placement)
    placement.end_reason = reason
    _transition(placement, P.CANCELLED, actor=actor, reason=reason, fields=("end_reason",))
    _notify_parties(
        placement, _("Placement cancelled: “%(mission)s”") % {"mission": placement.mission.title},
        reason, "placement.cancelled",
    )
    return placement


@transaction.atomic
def placement_interrupt(
    *, placement: Placement, actor: User, on: date, reason: str,
    termination_reason: str = TerminationReason.OTHER,
) -> Placement:
    """Early termination after the start: the last day, the ground and an explanation."""
    _require_manager(actor, placement)
    if termination_reason not in TerminationReason.values:
        raise ApplicationError(_("Unknown termination reason."), code="bad_reason")
    if not reason.strip():
        raise ApplicationError(_("Explain why the mission stops early."), code="reason_required")
    placement = _locked(placement)
    if placement.status == P.IN_MISSION and not (placement.start_date <= on <= placement.end_date):
        raise ApplicationError(
            _("The last day must fall within the mission (%(start)s – %(end)s).")
            % {"start": placement.start_date, "end": placement.end_date},
            code="bad_date",
        )
    placement.ended_on = on
    placement.end_reason = reason.strip()
    placement.termination_reason = termination_reason
    _transition(
        placement, P.INTERRUPTED, actor=actor, reason=reason.strip(),
        fields=("ended_on", "end_reason", "termination_reason"),
    )
    _notify_parties(
        placement, _("Mission interrupted: “%(mission)s”") % {"mission": placement.mission.title},
        reason.strip(), "placement.interrupted",
    )
    return placement


@transaction.atomic
def placement_set_tutor(
    *, placement: Placement, actor: User, name: str, email: str = "", phone: str = ""
) -> Placement:
    if not permissions.can_write_as_tutor(actor, placement):
        raise NotAllowed(_("Only the host names the tutor."))
    placement.tutor_name, placement.tutor_email, placement.tutor_phone = name, email, phone
    placement.full_clean(exclude=["volunteer", "mission", "agreement", "application",
                                  "sending_organisation"])
    placement.save(update_fields=["tutor_name", "tutor_email", "tutor_phone", "updated_at"])
    return placement


def placements_anonymise_for_volunteer(*, volunteer_id: int) -> None:
    """At a volunteer's anonymisation (workflow/personal_data.py): free texts written about
    the person go (evaluation comments, follow-up details); ratings, situations, the snapshots
    and the ledger stay for the outcomes."""
    Evaluation.objects.filter(placement__volunteer_id=volunteer_id).update(comments="")
    FollowUp.objects.filter(placement__volunteer_id=volunteer_id).update(details="")


def pairing_create(
    *, french: Placement, foreign: Placement, created_by: User | None, score: float | None = None
) -> Pairing:
    """Pair two placements as a binôme (called by an accepted pairing-run proposal, which has
    locked both rows and checked them). A placement already paired is refused by the database
    (`PairingMember.placement` is unique), whatever the caller checked."""
    if french.pk == foreign.pk:
        raise ApplicationError(_("A placement cannot be paired with itself."), code="same_placement")
    pairing = Pairing.objects.create(created_by=created_by, score=score)
    PairingMember.objects.bulk_create([
        PairingMember(pairing=pairing, placement=french, side=PairingSide.FRENCH),
        PairingMember(pairing=pairing, placement=foreign, side=PairingSide.FOREIGN),
    ])
    return pairing


def pairing_release(*, pairing: Pairing) -> int:
    """Free both placements of a dissolved binôme (matching/pairing_services.py `pair_dissolve`
    records who and why first): they no longer show a partner and may be paired again.
    Returns how many member rows were removed."""
    deleted, _by_model = PairingMember.objects.filter(pairing=pairing).delete()
    return deleted
