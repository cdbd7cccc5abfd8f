"""Applications and nominations: submitting, the host's decisions, withdrawal, overdue flags.

Statuses are explicit state machines (the dicts below); every change goes through `_set_status`
or `_set_choice_status`, which refuse an illegal move and append an `ApplicationStatusChange`.
The application's own status follows its choices: accepted if one is accepted, shortlisted if
one is shortlisted, submitted while one is pending, refused once every choice is closed.
"""

from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from reciprocity.accounts.models import User
from reciprocity.agreements.models import Programme
from reciprocity.applications import permissions
from reciprocity.applications.models import (
    MAX_CHOICES,
    Application,
    ApplicationChoice,
    ApplicationKind,
    ApplicationStatus,
    ApplicationStatusChange,
    ChoiceStatus,
)
from reciprocity.applications.selectors import choices_overdue
from reciprocity.audit.services import audit_created
from reciprocity.core.exceptions import ApplicationError, InvalidTransition, NotAllowed
from reciprocity.missions.models import Mission, MissionStatus
from reciprocity.notifications.selectors import organisation_officers
from reciprocity.notifications.services import notify
from reciprocity.partners.models import Organisation
from reciprocity.schemes.services import scheme_suspension_check
from reciprocity.volunteers.models import Volunteer

S, C = ApplicationStatus, ChoiceStatus

APPLICATION_TRANSITIONS: dict[str, set[str]] = {
    S.DRAFT: {S.SUBMITTED, S.WITHDRAWN},
    S.SUBMITTED: {S.SHORTLISTED, S.ACCEPTED, S.REFUSED, S.WITHDRAWN},
    S.SHORTLISTED: {S.SUBMITTED, S.ACCEPTED, S.REFUSED, S.WITHDRAWN},
    # Back to open when its only accepted choice's offer is declined or expires (offers.py).
    S.ACCEPTED: {S.PLACED, S.WITHDRAWN, S.SUBMITTED, S.SHORTLISTED},
    S.REFUSED: set(),
    S.WITHDRAWN: set(),
    S.PLACED: set(),
}

CHOICE_TRANSITIONS: dict[str, set[str]] = {
    C.PENDING: {C.SHORTLISTED, C.RESERVE, C.ACCEPTED, C.REFUSED, C.WITHDRAWN},
    C.SHORTLISTED: {C.RESERVE, C.ACCEPTED, C.REFUSED, C.WITHDRAWN},
    # The waiting list (offers.py): the host accepts or refuses a reserve, or a declined offer
    # promotes the first one; the volunteer may withdraw.
    C.RESERVE: {C.ACCEPTED, C.REFUSED, C.WITHDRAWN},
    C.ACCEPTED: {C.WITHDRAWN},
    C.REFUSED: set(),
    C.WITHDRAWN: set(),
}

OPEN_CHOICES = {C.PENDING, C.SHORTLISTED, C.RESERVE}


def _set_status(application: Application, to: str, *, actor: User | None, reason: str = "") -> None:
    current = application.status
    if to not in APPLICATION_TRANSITIONS[current]:
        raise InvalidTransition(
            _("An application that is “%(current)s” cannot become “%(target)s”.")
            % {"current": S(current).label, "target": S(to).label},
            details={"from": current, "to": to},
        )
    application.status = to
    application.save(update_fields=["status", "updated_at"])
    ApplicationStatusChange.objects.create(
        application=application, from_status=current, to_status=to, changed_by=actor, reason=reason
    )


def _set_choice_status(
    choice: ApplicationChoice, to: str, *, actor: User | None, reason: str = "",
    now: datetime | None = None,
) -> None:
    """`now` stamps a decision (accepted or refused): the moment the edge read, required then."""
    current = choice.status
    if to not in CHOICE_TRANSITIONS[current]:
        raise InvalidTransition(
            _("A choice that is “%(current)s” cannot become “%(target)s”.")
            % {"current": C(current).label, "target": C(to).label},
            details={"from": current, "to": to},
        )
    choice.status = to
    fields = ["status", "updated_at", "reserve_rank"]
    if to != C.RESERVE:
        choice.reserve_rank = None  # leaving the waiting list (the caller ranks a new reserve)
    if to in {C.ACCEPTED, C.REFUSED}:
        if now is None:
            raise TypeError("A decision on a choice needs `now`, the moment it is taken.")
        choice.decided_at = now
        choice.decision_reason = reason
        fields += ["decided_at", "decision_reason"]
    choice.save(update_fields=fields)
    ApplicationStatusChange.objects.create(
        application_id=choice.application_id, choice=choice, from_status=current, to_status=to,
        changed_by=actor, reason=reason,
    )


def _follow_choices(application: Application, *, actor: User | None) -> None:
    statuses = set(application.choices.values_list("status", flat=True))
    if application.status not in {S.SUBMITTED, S.SHORTLISTED, S.ACCEPTED}:
        return
    if C.ACCEPTED in statuses:
        target = S.ACCEPTED
    elif C.SHORTLISTED in statuses or C.RESERVE in statuses:
        target = S.SHORTLISTED
    elif C.PENDING in statuses:
        target = S.SUBMITTED
    elif application.status == S.ACCEPTED:
        return  # an accepted application closes by placement or withdrawal only
    else:
        target = S.REFUSED
    if target != application.status:
        _set_status(application, target, actor=actor)


def _lock(application: Application) -> Application:
    # Concurrent decisions on the same application are serialised on its row.
    return Application.objects.select_for_update().get(pk=application.pk)


def _check_missions(missions: Sequence[Mission], *, allow_none: bool = False) -> None:
    if not missions and not allow_none:
        raise ApplicationError(_("Choose at least one mission."), code="no_choice")
    if len(missions) > MAX_CHOICES:
        raise ApplicationError(
            _("Choose at most %(n)d missions.") % {"n": MAX_CHOICES}, code="too_many_choices",
            details={"max": MAX_CHOICES},
        )
    ids = [m.pk for m in missions]
    if len(set(ids)) != len(ids):
        raise ApplicationError(_("Each mission may be chosen only once."), code="duplicate_choice")
    closed = [m.pk for m in missions if m.status != MissionStatus.PUBLISHED]
    if closed:
        raise ApplicationError(
            _("Only published missions can be chosen."), code="mission_not_open",
            details={"missions": closed},
        )


def _check_not_already_applied(volunteer: Volunteer, missions: Sequence[Mission]) -> None:
    taken = list(
        ApplicationChoice.objects.filter(
            application__volunteer=volunteer, mission__in=missions,
            status__in=[C.PENDING, C.SHORTLISTED, C.RESERVE, C.ACCEPTED],
        ).values_list("mission_id", flat=True)
    )
    if taken:
        raise ApplicationError(
            _("This volunteer already has an open application for one of these missions."),
            code="already_applied", details={"missions": taken},
        )


# The eligibility verdict of a volunteer for a mission, as stored on a choice: the procedures
# engine's, passed in by the workflow (workflow/applying.py), which sits above both apps.
VerdictOf = Callable[[Volunteer, Mission], dict[str, Any]]


def _create(
    *, actor: User, volunteer: Volunteer, missions: Sequence[Mission], motivation: str,
    kind: str, sending_organisation: Organisation | None, programme: Programme | None,
    verdict_of: VerdictOf, now: datetime,
) -> Application:
    # A scheme suspended today (a budget freeze) takes no new application, whatever the mission.
    for scheme_code in sorted({m.scheme_id for m in missions}):
        scheme_suspension_check(scheme_code=scheme_code, on=timezone.localdate(now))
    application = Application.objects.create(
        volunteer=volunteer, sending_organisation=sending_organisation, kind=kind,
        programme=programme, motivation=motivation, status=S.SUBMITTED,
        submitted_at=now, created_by=actor,
    )
    ApplicationStatusChange.objects.create(
        application=application, from_status=S.DRAFT, to_status=S.SUBMITTED, changed_by=actor
    )
    choices = ApplicationChoice.objects.bulk_create(
        ApplicationChoice(
            application=application, mission=mission, rank=rank,
            eligibility=verdict_of(volunteer, mission),
        )
        for rank, mission in enumerate(missions, start=1)
    )
    audit_created(choices)
    link = reverse("applications:detail", args=[application.pk])
    for mission in missions:
        notify(
            users=organisation_officers([mission.host_id]),
            subject=_("New application for “%(mission)s”") % {"mission": mission.title},
            body=_("%(volunteer)s is waiting for your decision.") % {"volunteer": volunteer},
            link=link, verb="application.submitted",
        )
    return application


@transaction.atomic
def application_submit(
    *, actor: User, volunteer: Volunteer, missions: Sequence[Mission], motivation: str = "",
    verdict_of: VerdictOf, now: datetime,
) -> Application:
    """A volunteer (or an officer of their sending organisation) applies with ranked choices,
    first choice first. The eligibility verdict of each choice (`verdict_of`) is kept; `now`
    is the submission's moment (and its day, the scheme suspension's). Pages and the API call
    the workflow's `application_submit`, which passes both."""
    if not permissions.can_apply_for(actor, volunteer):
        raise NotAllowed(_("You may not apply on behalf of this volunteer."))
    if volunteer.user_id == actor.pk and actor.email_verification_pending:
        raise NotAllowed(_("Confirm your e-mail address before you apply."),
                         code="email_not_verified")
    _check_missions(missions)
    _check_not_already_applied(volunteer, missions)
    return _create(
        actor=actor, volunteer=volunteer, missions=missions, motivation=motivation.strip(),
        kind=ApplicationKind.APPLICATION, sending_organisation=volunteer.sending_organisation,
        programme=None, verdict_of=verdict_of, now=now,
    )


@transaction.atomic
def application_nominate(
    *, actor: User, organisation: Organisation, volunteers: Sequence[Volunteer],
    missions: Sequence[Mission] = (), programme: Programme | None = None, motivation: str = "",
    verdict_of: VerdictOf, now: datetime,
) -> list[Application]:
    """A partner agency nominates its candidates for missions, or for a programme cohort (then
    the batch engine or the coordinator places them later). `verdict_of` and `now` as for
    `application_submit` (the workflow's `application_nominate` passes them)."""
    if not permissions.can_nominate_for(actor, organisation.pk):
        raise NotAllowed(_("You may not nominate on behalf of this organisation."))
    if not volunteers:
        raise ApplicationError(_("Nominate at least one volunteer."), code="no_volunteer")
    if programme is None and not missions:
        raise ApplicationError(
            _("Nominate for at least one mission or for a programme."), code="no_choice"
        )
    _check_missions(missions, allow_none=True)
    if programme is not None:
        outside = [m.pk for m in missions if m.programme_id != programme.pk]
        if outside:
            raise ApplicationError(
                _("Every mission must belong to the programme."), code="mission_not_in_programme",
                details={"missions": outside},
            )
    foreign = [v.pk for v in volunteers if v.sending_organisation_id != organisation.pk]
    if foreign:
        raise NotAllowed(
            _("An organisation nominates only the volunteers it sends."),
            details={"volunteers": foreign},
        )
    applications = []
    for volunteer in volunteers:
        _check_not_already_applied(volunteer, missions)
        applications.append(_create(
            actor=actor, volunteer=volunteer, missions=missions, motivation=motivation.strip(),
            kind=ApplicationKind.NOMINATION, sending_organisation=organisation,
            programme=programme, verdict_of=verdict_of, now=now,
        ))
    return applications


def _decide(
    *, actor: User | None, choice: ApplicationChoice, to: str, reason: str = "",
    check_permission: bool = True, now: datetime | None = None,
) -> ApplicationChoice:
    if check_permission and (actor is None or not permissions.can_decide(actor, choice)):
        raise NotAllowed(_("Only the host of this mission decides on this choice."))
    application = _lock(choice.application)
    choice.refresh_from_db()
    if application.status not in {S.SUBMITTED, S.SHORTLISTED, S.ACCEPTED}:
        raise InvalidTransition(
            _("This application is “%(status)s”: no decision can be taken on it.")
            % {"status": S(application.status).label},
            details={"application_status": application.status},
        )
    _set_choice_status(choice, to, actor=actor, reason=reason, now=now)
    _follow_choices(application, actor=actor)
    choice.application = application
    return choice


def _tell_applicant_side(application: Application, subject: object, body: object, verb: str) -> None:
    users = organisation_officers([application.sending_organisation_id])
    if application.volunteer.user is not None:
        users.append(application.volunteer.user)
    notify(
        users=users, subject=subject, body=body,
        link=reverse("applications:detail", args=[application.pk]), verb=verb,
    )


@transaction.atomic
def application_choice_shortlist(*, actor: User, choice: ApplicationChoice) -> ApplicationChoice:
    return _decide(actor=actor, choice=choice, to=C.SHORTLISTED)


def application_choice_check_acceptable(
    *, actor: User | None, choice: ApplicationChoice, check_permission: bool = True
) -> None:
    """What refuses an acceptance before anything else is asked (the workflow's
    `application_choice_accept` then asks the eligibility engine): a cancelled mission, then
    the host's permission, so that a stranger learns nothing."""
    if choice.mission.status == MissionStatus.CANCELLED:
        raise InvalidTransition(
            _("The mission has been cancelled: the choice can only be refused."),
            code="mission_cancelled",
        )
    if check_permission and (actor is None or not permissions.can_decide(actor, choice)):
        raise NotAllowed(_("Only the host of this mission decides on this choice."))


def application_choice_mark_accepted(
    *, actor: User | None, choice: ApplicationChoice, now: datetime, note: str = "",
    check_permission: bool = True,
) -> ApplicationChoice:
    """The choice becomes accepted at `now` (and its application follows); `note` is the
    history row's reason (a staff override of the eligibility verdict). The placement and the
    offer that follow are the workflow's (reciprocity/workflow/services.py)."""
    return _decide(
        actor=actor, choice=choice, to=C.ACCEPTED, reason=note, check_permission=check_permission,
        now=now,
    )


def application_tell_accepted(*, choice: ApplicationChoice, deadline: date) -> None:
    _tell_applicant_side(
        choice.application,
        _("Accepted for “%(mission)s”") % {"mission": choice.mission.title},
        _("The host offers you the place: accept or decline the offer by %(deadline)s.")
        % {"deadline": deadline.isoformat()},
        "application.accepted",
    )


@transaction.atomic
def application_choice_refuse(
    *, actor: User, choice: ApplicationChoice, reason: str, now: datetime
) -> ApplicationChoice:
    """Refuse the choice at `now` (the edge's moment), with the reason the applicant is told."""
    if not reason.strip():
        raise ApplicationError(
            _("Give the reason for the refusal: the applicant is told."), code="reason_required"
        )
    choice = _decide(actor=actor, choice=choice, to=C.REFUSED, reason=reason.strip(), now=now)
    _tell_applicant_side(
        choice.application,
        _("Not selected for “%(mission)s”") % {"mission": choice.mission.title},
        reason.strip(),
        "application.refused",
    )
    return choice


def application_lock(application: Application) -> Application:
    """The application's row, locked: decisions on it are serialised."""
    return _lock(application)


def application_mark_withdrawn(*, actor: User, application: Application, reason: str = "") -> None:
    """The application and its choices still open or accepted become withdrawn (the
    workflow's `application_withdraw` checks the permission and the placements first, and
    cancels the proposed placements after)."""
    _set_status(application, S.WITHDRAWN, actor=actor, reason=reason)
    for choice in application.choices.exclude(status__in=[C.REFUSED, C.WITHDRAWN]):
        _set_choice_status(choice, C.WITHDRAWN, actor=actor, reason=reason)


def application_tell_withdrawn(*, application: Application) -> None:
    hosts = application.choices.values_list("mission__host_id", flat=True)
    notify(
        users=organisation_officers(hosts),
        subject=_("Application withdrawn"),
        body=_("%(volunteer)s withdrew their application.") % {"volunteer": application.volunteer},
        link=reverse("applications:detail", args=[application.pk]),
        verb="application.withdrawn",
    )


def application_mark_placed(*, application: Application, actor: User | None) -> None:
    """Called when one of its placements is confirmed: the other open choices are withdrawn."""
    application = _lock(application)
    for choice in application.choices.filter(status__in=OPEN_CHOICES):
        _set_choice_status(
            choice, C.WITHDRAWN, actor=actor, reason=str(_("Placed on another mission."))
        )
    _set_status(application, S.PLACED, actor=actor)


def applications_flag_overdue(*, days: int, now: datetime) -> list[ApplicationChoice]:
    """Flag each choice still undecided after `days` days before `now` to its host and the
    sending organisation, once: a flagged choice is not flagged again (the command can run
    daily and passes the moment it runs)."""
    flagged = []
    for choice in choices_overdue(days=days, now=now).filter(overdue_flagged_at__isnull=True):
        with transaction.atomic():
            # Two runs at once must not both flag: claim the row, then notify.
            claimed = ApplicationChoice.objects.filter(
                pk=choice.pk, overdue_flagged_at__isnull=True
            ).update(overdue_flagged_at=now)
            if not claimed:
                continue
            application = choice.application
            notify(
                users=organisation_officers(
                    [choice.mission.host_id, application.sending_organisation_id]
                ),
                subject=_("Application waiting for a decision: “%(mission)s”")
                % {"mission": choice.mission.title},
                body=_("%(volunteer)s applied more than %(days)d days ago and has no answer yet.")
                % {"volunteer": application.volunteer, "days": days},
                link=reverse("applications:detail", args=[application.pk]),
                verb="application.overdue",
            )
            flagged.append(choice)
    return flagged


def applications_anonymise_for_volunteer(*, volunteer_id: int) -> int:
    """At a volunteer's anonymisation (workflow/personal_data.py): the free text they wrote
    (the motivation) goes; decisions and statuses stay for the statistics. Returns how many
    applications."""
    return Application.objects.filter(volunteer_id=volunteer_id).update(motivation="")
