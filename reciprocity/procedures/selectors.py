"""Reads of procedures, always scoped to the user: what is due, a procedure's checks, verdicts.

Scope: staff see every procedure; a member sees those of placements their organisations host or
send; a volunteer sees their own.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Case, F, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from reciprocity.accounts.models import MembershipRole, User
from reciprocity.accounts.selectors import AnyUser, is_platform_staff, member_organisation_ids
from reciprocity.missions.models import Mission
from reciprocity.partners.models import Organisation
from reciprocity.placements.models import PlacementStatus
from reciprocity.procedures.eligibility import eligibility_judge
from reciprocity.procedures.engine import (
    Eligibility,
    Finding,
    InvalidRequest,
)
from reciprocity.procedures.facts import host_facts, plan_request
from reciprocity.procedures.models import (
    IDENTITY_KINDS,
    OPEN_STATUSES,
    STAY_PERMIT_KINDS,
    DocumentKind,
    Procedure,
    ProcedureDocument,
    ProcedureStep,
    StepOwner,
    StepStatusChange,
)
from reciprocity.schemes.models import SchemeSuspension
from reciprocity.volunteers.models import Volunteer

# The code of the reason given when the volunteer's or mission's data cannot be evaluated.
FACTS_INVALID = "facts_invalid"
# Placements whose open steps are still due (a cancelled or finished placement owes nothing).
ACTIVE_PLACEMENT_STATUSES = (PlacementStatus.CONFIRMED, PlacementStatus.IN_MISSION)
VISA_ENTRY_DOCUMENTS = frozenset(
    {"short_stay_visa", "long_stay_temporary_exemption", "long_stay_visitor", "long_stay_volunteer"}
)


def _placement_scope(user: AnyUser, prefix: str) -> Q | None:
    """The Q restricting rows (reached through `prefix`) to the user's placements; None = all."""
    if is_platform_staff(user):
        return None
    if not user.is_authenticated:
        return Q(pk__in=[])
    orgs = member_organisation_ids(user)
    return (
        Q(**{f"{prefix}volunteer__user_id": user.pk})
        | Q(**{f"{prefix}mission__host_id__in": orgs})
        | Q(**{f"{prefix}sending_organisation_id__in": orgs})
    )


def procedures_visible_to(user: AnyUser) -> QuerySet[Procedure]:
    scope = _placement_scope(user, "placement__")
    qs = Procedure.objects.all()
    return qs if scope is None else qs.filter(scope)


def procedure_get_visible(*, user: AnyUser, pk: int) -> Procedure | None:
    return (
        procedures_visible_to(user)
        .select_related(
            "placement__volunteer", "placement__mission__host", "placement__sending_organisation",
            "placement__agreement", "scheme",
        )
        .filter(pk=pk)
        .first()
    )


def procedure_for_placement(*, user: AnyUser, placement_id: int) -> Procedure | None:
    """The placement's procedure if it has one and the user sees it (for the placement page)."""
    return procedures_visible_to(user).filter(placement_id=placement_id).first()


def steps_visible_to(user: AnyUser) -> QuerySet[ProcedureStep]:
    scope = _placement_scope(user, "procedure__placement__")
    qs = ProcedureStep.objects.all()
    return qs if scope is None else qs.filter(scope)


def _owned_by(user: AnyUser) -> Q:
    """Steps `user` may tick (same rules as `permissions.owners_writable_by`, as a filter)."""
    p = "procedure__placement__"
    writable = member_organisation_ids(user, writable=True)
    coordinators = set(
        Organisation.objects.filter(pk__in=writable, is_coordinator=True).values_list("pk", flat=True)
    )
    return (
        Q(owner=StepOwner.HOST_ORGANISATION, **{f"{p}mission__host_id__in": writable})
        | Q(owner=StepOwner.SENDING_ORGANISATION, **{f"{p}sending_organisation_id__in": writable})
        | Q(owner=StepOwner.VOLUNTEER, **{f"{p}volunteer__user_id": user.pk})
        | Q(owner=StepOwner.VOLUNTEER, **{f"{p}sending_organisation_id__in": writable})
        | (Q(owner=StepOwner.COORDINATOR) & (
            Q(**{f"{p}mission__host_id__in": coordinators})
            | Q(**{f"{p}sending_organisation_id__in": coordinators})
            | Q(**{f"{p}agreement__party_a_id__in": coordinators})
            | Q(**{f"{p}agreement__party_b_id__in": coordinators})
        ))
    )


def steps_due(
    *,
    user: AnyUser,
    today: date,
    organisation_id: int | None = None,
    within_days: int | None = None,
    mine: bool = False,
) -> QuerySet[ProcedureStep]:
    """Open steps of running placements, overdue first, then by date (undated last).

    `organisation_id` narrows to the placements that organisation hosts or sends (the user must
    see them anyway); `within_days` keeps steps overdue or due within that many days; `mine`
    keeps the steps the user may tick (for staff: every step).
    """
    qs = steps_visible_to(user).filter(
        status__in=OPEN_STATUSES, procedure__placement__status__in=ACTIVE_PLACEMENT_STATUSES
    )
    if mine and not is_platform_staff(user):
        qs = qs.filter(_owned_by(user))
    if organisation_id is not None:
        qs = qs.filter(
            Q(procedure__placement__mission__host_id=organisation_id)
            | Q(procedure__placement__sending_organisation_id=organisation_id)
        )
    if within_days is not None:
        qs = qs.filter(due_by__lte=today + timedelta(days=within_days))
    return (
        qs.annotate(
            due_on=Coalesce("due_by", "due_from"),
            overdue=Case(
                When(due_by__lt=today, then=Value(0)), default=Value(1),
                output_field=IntegerField(),
            ),
        )
        .select_related(
            "procedure__placement__volunteer", "procedure__placement__mission__host",
            "procedure__placement__sending_organisation", "assignee",
        )
        .order_by("overdue", F("due_on").asc(nulls_last=True), "procedure_id", "position")
    )


def step_history(*, procedure: Procedure) -> QuerySet[StepStatusChange]:
    return (
        StepStatusChange.objects.filter(step__procedure=procedure)
        .select_related("step", "actor")
        .order_by("-occurred_at", "-id")
    )


def procedure_documents(*, procedure: Procedure) -> QuerySet[ProcedureDocument]:
    return procedure.documents.select_related("uploaded_by", "step").order_by("uploaded_at", "pk")


# --- checks shown on the procedure ---------------------------------------------------------------


@dataclass(frozen=True)
class Check:
    code: str
    message: str


def _covered(intervals: list[tuple[date | None, date | None]], start: date, end: date) -> bool:
    """Whether the union of the [valid_from, expires_on] intervals covers [start, end].

    A missing `valid_from` means "valid since before the stay"; an interval without expiry
    proves nothing and is ignored (a visa or an insurance always ends).
    """
    day = start
    for first, last in sorted(
        ((f or date.min, e) for f, e in intervals if e is not None), key=lambda i: i[0]
    ):
        if first > day:
            break
        if last >= day:
            day = last + timedelta(days=1)
        if day > end:
            return True
    return day > end


def _intervals(documents: list[ProcedureDocument]) -> list[tuple[date | None, date | None]]:
    return [(d.valid_from, d.expires_on) for d in documents]


def procedure_coverage(*, procedure: Procedure) -> list[Check]:
    """Whether the identity document, the visa and the insurances cover the whole stay."""
    placement = procedure.placement
    start, end = placement.start_date, placement.ended_on or placement.end_date
    documents = list(procedure.documents.all())
    checks: list[Check] = []
    period = {"start": start.isoformat(), "end": end.isoformat()}

    identity = [d for d in documents if d.kind in IDENTITY_KINDS]
    volunteer = placement.volunteer
    intervals = _intervals(identity)
    if volunteer.id_document_expiry and volunteer.id_document_kind in IDENTITY_KINDS:
        intervals.append((None, volunteer.id_document_expiry))
    if not intervals:
        checks.append(Check("identity_document_missing", _(
            "No identity document with an expiry date is recorded for the volunteer."
        )))
    elif not _covered(intervals, start, end):
        checks.append(Check("identity_document_expires", _(
            "The identity document expires before the end of the stay (%(start)s to %(end)s)."
        ) % period))

    if procedure.entry_document in VISA_ENTRY_DOCUMENTS:
        permits = [d for d in documents if d.kind in STAY_PERMIT_KINDS]
        if not permits:
            checks.append(Check("visa_missing", _(
                "The volunteer needs a visa to enter; no visa or residence permit is uploaded."
            )))
        elif not _covered(_intervals(permits), start, end):
            checks.append(Check("visa_does_not_cover_stay", _(
                "The visa and residence permits uploaded do not cover the whole stay "
                "(%(start)s to %(end)s)."
            ) % period))

    insurance_step = procedure.steps.filter(code="insurance").first()
    required = [
        kind for kind in (insurance_step.documents if insurance_step else [])
        if kind in DocumentKind.values
    ]
    for kind in required:
        label = DocumentKind(kind).label
        found = [d for d in documents if d.kind == kind]
        if not found:
            checks.append(Check("insurance_missing", _(
                "%(insurance)s: no certificate uploaded."
            ) % {"insurance": label}))
        elif not _covered(_intervals(found), start, end):
            checks.append(Check("insurance_does_not_cover_stay", _(
                "%(insurance)s does not cover the whole stay (%(start)s to %(end)s)."
            ) % {"insurance": label, **period}))
    return checks


def procedure_suspensions(*, procedure: Procedure) -> list[SchemeSuspension]:
    """Suspensions of the scheme that overlap the stay: the procedure is flagged with them."""
    placement = procedure.placement
    return list(
        SchemeSuspension.objects.filter(scheme_id=procedure.scheme_id, start__lte=placement.end_date)
        .filter(Q(end__isnull=True) | Q(end__gte=placement.start_date))
        .order_by("start")
    )


# --- eligibility verdict for an application or a placement ---------------------------------------


def eligibility_for(*, volunteer: Volunteer, mission: Mission, today: date) -> Eligibility:
    """The engine's verdict for this volunteer on this mission, with every failing reason.

    The host's places count the placements already holding one on the start date, so for a
    volunteer already placed there the quota reason may appear: the procedure of a placement
    keeps the verdict computed at confirmation instead. `today` is accepted for symmetry with
    the planner (eligibility itself depends on the mission dates only).
    """
    del today
    request = plan_request(volunteer, mission, host=host_facts(mission))
    try:
        return eligibility_judge(request)
    except InvalidRequest as exc:
        # Shown as a reason (rendered by the `finding_message` filter), not as a server error.
        return Eligibility(reasons=(Finding.of(FACTS_INVALID, error=exc),))


def step_assignee_choices(user: AnyUser) -> QuerySet[User]:
    """The people `user` may give steps to on What is due: themselves and the officers and
    administrators of the organisations they write for. Whether one of them may act on a
    given step is the service's check, step by step."""
    writable = member_organisation_ids(user, writable=True)
    return (
        User.objects.filter(is_active=True)
        .filter(Q(pk=user.pk) | Q(
            memberships__organisation_id__in=writable,
            memberships__role__in=[MembershipRole.ADMIN, MembershipRole.OFFICER],
        ))
        .distinct()
        .order_by("last_name", "first_name", "username")
    )
