"""Offers and the host's waiting list (docs/workflow.md, "Offers and the waiting list").

When a host accepts a choice, the proposed placement comes with an `Offer`: the volunteer, or
an officer of their sending organisation for them, accepts or declines it by its deadline
(`OFFER_RESPONSE_DAYS` after the acceptance, inclusive). Only an accepted offer lets the
placement be confirmed (`offer_check_accepted`, called by `placement_confirm`); placements made
without an offer (engine runs, imports) keep the host's direct confirmation.

    pending ─▶ accepted
       ├────▶ declined ─┐
       ├────▶ expired ──┴─▶ the placement lapses, the choice is withdrawn, and the first
       │                    reserve of the mission's waiting list is accepted (a new offer)
       └────▶ withdrawn    (its placement was cancelled, or the application withdrawn)

The waiting list is the mission's choices in status `reserve`, ordered by `reserve_rank`
(1 = next); the host puts candidates on it and orders it. Every move writes an
`OfferStatusChange` (offers) or an `ApplicationStatusChange` (choices) and notifies the
parties after commit (`notify`).
"""

from collections.abc import Sequence
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils.translation import gettext as _

from reciprocity.accounts.models import User
from reciprocity.applications import permissions
from reciprocity.applications.models import (
    ANSWERED_OFFER_STATUSES,
    Application,
    ApplicationChoice,
    ApplicationStatus,
    ChoiceStatus,
    Offer,
    OfferStatus,
    OfferStatusChange,
)
from reciprocity.core.exceptions import ApplicationError, InvalidTransition, NotAllowed
from reciprocity.missions.models import Mission
from reciprocity.notifications.selectors import organisation_officers
from reciprocity.notifications.services import notify

OS = OfferStatus

OFFER_TRANSITIONS: dict[str, set[str]] = {
    OS.PENDING: {OS.ACCEPTED, OS.DECLINED, OS.EXPIRED, OS.WITHDRAWN},
    OS.ACCEPTED: set(),
    OS.DECLINED: set(),
    OS.EXPIRED: set(),
    OS.WITHDRAWN: set(),
}


def _set_offer_status(
    offer: Offer, to: str, *, actor: User | None, reason: str = "", now: datetime | None = None
) -> None:
    """`now` stamps an answer (accepted or declined): the moment the edge read, required then."""
    current = offer.status
    if to not in OFFER_TRANSITIONS[current]:
        raise InvalidTransition(
            _("An offer that is “%(current)s” cannot become “%(target)s”.")
            % {"current": OS(current).label, "target": OS(to).label},
            details={"from": current, "to": to},
        )
    offer.status = to
    if to in ANSWERED_OFFER_STATUSES:
        if now is None:
            raise TypeError("An answer to an offer needs `now`, the moment it is given.")
        offer.responded_by, offer.responded_at = actor, now
    offer.save(update_fields=["status", "responded_by", "responded_at", "updated_at"])
    OfferStatusChange.objects.create(
        offer=offer, from_status=current, to_status=to, changed_by=actor, reason=reason
    )


def offer_lock(offer: Offer) -> Offer:
    # Two answers at once (the volunteer and their agency, or an answer and the expiry job)
    # are serialised on the offer's row; the second sees the first's status.
    return Offer.objects.select_for_update().select_related(
        "choice__application__volunteer", "choice__mission", "placement"
    ).get(pk=offer.pk)


def _applicant_side(application: Application) -> list[User]:
    users = organisation_officers([application.sending_organisation_id])
    if application.volunteer.user is not None:
        users.append(application.volunteer.user)
    return users


def _application_link(offer: Offer) -> str:
    return reverse("applications:detail", args=[offer.choice.application_id])


# --- making an offer and guarding confirmation ----------------------------------------------


def offer_make(
    *, placement_id: int, choice: ApplicationChoice, actor: User | None, today: date
) -> Offer:
    """The offer of a placement made from an accepted choice (called by the workflow's accept)."""
    offer = Offer.objects.create(
        placement_id=placement_id, choice=choice, status=OS.PENDING, created_by=actor,
        deadline=today + timedelta(days=settings.OFFER_RESPONSE_DAYS),
    )
    OfferStatusChange.objects.create(offer=offer, from_status="", to_status=OS.PENDING, changed_by=actor)
    return offer


def offer_check_accepted(*, placement_id: int) -> None:
    """Refuse (`offer_not_accepted`) to confirm a placement whose offer the volunteer has not
    accepted; a placement without an offer (engine, import) passes."""
    offer = Offer.objects.filter(placement_id=placement_id).first()
    if offer is not None and offer.status != OS.ACCEPTED:
        raise InvalidTransition(
            _("The volunteer has not accepted the offer (it is “%(status)s”): the placement "
              "cannot be confirmed yet.") % {"status": OS(offer.status).label},
            code="offer_not_accepted", details={"offer": offer.pk, "status": offer.status},
        )


def offer_withdraw_for_placement(*, placement_id: int, actor: User | None, reason: str) -> None:
    """The placement was cancelled (by a party, or because the application was withdrawn or
    the volunteer placed elsewhere): a pending offer lapses, the waiting list does not move
    (whoever cancelled decides what comes next)."""
    offer = Offer.objects.select_for_update().filter(placement_id=placement_id).first()
    if offer is not None and offer.status == OS.PENDING:
        _set_offer_status(offer, OS.WITHDRAWN, actor=actor, reason=reason)


# --- the volunteer's answer ------------------------------------------------------------------


def offer_check_may_answer(actor: User, offer: Offer, today: date) -> None:
    if not permissions.can_answer_offer(actor, offer):
        raise NotAllowed(
            _("Only the volunteer or an officer of their sending organisation answers an offer.")
        )
    if offer.status == OS.PENDING and today > offer.deadline:
        raise InvalidTransition(
            _("The offer expired on %(deadline)s.") % {"deadline": offer.deadline.isoformat()},
            code="offer_expired", details={"deadline": offer.deadline.isoformat()},
        )


@transaction.atomic
def offer_accept(*, actor: User, offer: Offer, today: date, now: datetime) -> Offer:
    """The volunteer's side accepts at `now`: the host is asked to confirm the placement."""
    offer = offer_lock(offer)
    offer_check_may_answer(actor, offer, today)
    _set_offer_status(offer, OS.ACCEPTED, actor=actor, now=now)
    mission, volunteer = offer.choice.mission, offer.choice.application.volunteer
    notify(
        users=organisation_officers([mission.host_id]),
        subject=_("Offer accepted for “%(mission)s”") % {"mission": mission.title},
        body=_("%(volunteer)s accepted your offer: confirm the placement.")
        % {"volunteer": volunteer},
        link=reverse("placements:detail", args=[offer.placement_id]), verb="offer.accepted",
    )
    notify(
        users=_applicant_side(offer.choice.application),
        subject=_("Offer accepted for “%(mission)s”") % {"mission": mission.title},
        body=_("The offer is accepted; the host now confirms the placement."),
        link=_application_link(offer), verb="offer.accepted",
    )
    return offer


def offer_close(*, offer: Offer, to: str, actor: User | None, reason: str, now: datetime) -> None:
    """Declined or expired at `now` (the workflow's `offer_decline` and `offers_expire`): the
    offer closes and its choice is withdrawn; the workflow then lets the placement lapse and moves
    the waiting list."""
    # Imported here: the applications services import this module.
    from reciprocity.applications.services import (
        _follow_choices,
        _lock,
        _set_choice_status,
        _set_status,
    )

    _set_offer_status(offer, to, actor=actor, reason=reason, now=now)
    choice = offer.choice
    application = _lock(choice.application)
    choice.refresh_from_db()
    if choice.status == ChoiceStatus.ACCEPTED:
        _set_choice_status(choice, ChoiceStatus.WITHDRAWN, actor=actor, reason=reason)
    _follow_choices(application, actor=actor)
    if (
        application.status == ApplicationStatus.ACCEPTED
        and not application.choices.filter(status=ChoiceStatus.ACCEPTED).exists()
    ):
        # Nothing left open for this volunteer: the application ends with its offer.
        _set_status(application, ApplicationStatus.WITHDRAWN, actor=actor, reason=reason)


def offer_tell_host_after_close(
    *, offer: Offer, to: str, promoted: ApplicationChoice | None
) -> None:
    mission, volunteer = offer.choice.mission, offer.choice.application.volunteer
    what = (
        _("%(volunteer)s declined the offer.") if to == OS.DECLINED
        else _("The offer to %(volunteer)s expired without an answer.")
    ) % {"volunteer": volunteer}
    if promoted is not None:
        then = _("%(next)s, first on your waiting list, is now offered the place.") % {
            "next": promoted.application.volunteer
        }
    else:
        then = _("Nobody on your waiting list could be offered the place.")
    notify(
        users=organisation_officers([mission.host_id]),
        subject=_("Offer %(status)s for “%(mission)s”")
        % {"status": OS(to).label.lower(), "mission": mission.title},
        body=f"{what} {then}",
        link=reverse("applications:mission", args=[mission.pk]), verb=f"offer.{to}",
    )


# --- the waiting list ------------------------------------------------------------------------


def waiting_list(mission: Mission) -> list[ApplicationChoice]:
    return list(
        ApplicationChoice.objects.filter(mission=mission, status=ChoiceStatus.RESERVE)
        .select_related("application__volunteer", "mission")
        .order_by("reserve_rank", "pk")
    )


@transaction.atomic
def application_choice_reserve(*, actor: User, choice: ApplicationChoice) -> ApplicationChoice:
    """The host puts a pending or shortlisted choice at the end of the mission's waiting list."""
    from reciprocity.applications.services import _follow_choices, _lock, _set_choice_status

    if not permissions.can_decide(actor, choice):
        raise NotAllowed(_("Only the host of this mission decides on this choice."))
    # The mission's row serialises rank numbers; then the application, as every decision does.
    Mission.objects.select_for_update().get(pk=choice.mission_id)
    application = _lock(choice.application)
    choice.refresh_from_db()
    if application.status not in {
        ApplicationStatus.SUBMITTED, ApplicationStatus.SHORTLISTED, ApplicationStatus.ACCEPTED
    }:
        raise InvalidTransition(
            _("This application is “%(status)s”: no decision can be taken on it.")
            % {"status": ApplicationStatus(application.status).label},
            details={"application_status": application.status},
        )
    last = ApplicationChoice.objects.filter(
        mission_id=choice.mission_id, status=ChoiceStatus.RESERVE
    ).aggregate(last=Max("reserve_rank"))["last"]
    choice.reserve_rank = (last or 0) + 1
    _set_choice_status(choice, ChoiceStatus.RESERVE, actor=actor)
    _follow_choices(application, actor=actor)
    notify(
        users=_applicant_side(application),
        subject=_("On the waiting list for “%(mission)s”") % {"mission": choice.mission.title},
        body=_("The host put the application on its waiting list: if a place frees up, it is "
               "offered to the candidates in the host's order."),
        link=reverse("applications:detail", args=[application.pk]), verb="application.reserve",
    )
    return choice


@transaction.atomic
def waiting_list_rank(
    *, actor: User, mission: Mission, choice_ids: Sequence[int]
) -> list[ApplicationChoice]:
    """The host orders its waiting list: `choice_ids` names every reserve once, first first."""
    if not permissions.can_manage_waiting_list(actor, mission):
        raise NotAllowed(_("Only the host of this mission orders its waiting list."))
    mission = Mission.objects.select_for_update().get(pk=mission.pk)
    current = waiting_list(mission)
    if len(set(choice_ids)) != len(choice_ids) or set(choice_ids) != {c.pk for c in current}:
        raise ApplicationError(
            _("Name every candidate of the waiting list once."), code="waiting_list_mismatch",
            details={"expected": sorted(c.pk for c in current)},
        )
    by_id = {c.pk: c for c in current}
    # Two passes: above every number in use, then 1..n, so that no two reserves of the mission
    # ever share a rank (the unique constraint is checked row by row).
    above = max((c.reserve_rank or 0) for c in current) if current else 0
    for offset in (above, 0):
        for position, pk in enumerate(choice_ids, start=1):
            choice = by_id[pk]
            choice.reserve_rank = offset + position
            choice.save(update_fields=["reserve_rank", "updated_at"])
    return [by_id[pk] for pk in choice_ids]
