"""`/api/v1/applications`: apply, nominate, decide on choices, withdraw; same rules as the pages."""

from datetime import datetime
from typing import Any, Literal

from django.conf import settings
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Path, Query, Router, Schema
from ninja.pagination import paginate

from reciprocity.accounts.api_auth import SIGNED_IN
from reciprocity.accounts.http import AuthenticatedHttpRequest
from reciprocity.accounts.selectors import AnyUser
from reciprocity.agreements.models import Programme
from reciprocity.applications import services
from reciprocity.applications.models import Application, ApplicationChoice
from reciprocity.applications.selectors import (
    application_choices_for,
    application_list,
    applications_visible_to,
    choices_visible_to,
    overdue_for,
)
from reciprocity.core.api_errors import ErrorOut
from reciprocity.core.api_types import Input, LongText, ShortText
from reciprocity.core.bounds import Id
from reciprocity.core.pagination import bounded_pagination
from reciprocity.missions.models import Mission
from reciprocity.missions.selectors import missions_visible_to
from reciprocity.partners.models import Organisation
from reciprocity.volunteers.access import api_read, logs_listed_volunteers
from reciprocity.volunteers.selectors import volunteers_visible_to
from reciprocity.workflow import applying
from reciprocity.workflow import services as workflow

router = Router(tags=["applications"], auth=SIGNED_IN)

READ_ERRORS: dict[int, Any] = {401: ErrorOut, 404: ErrorOut, 422: ErrorOut}
WRITE_ERRORS: dict[int, Any] = {
    400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut
}


class Finding(Schema):
    code: str
    message: str


class EligibilityOut(Schema):
    checked: bool = False
    eligible: bool | None = None
    reasons: list[Finding] = []
    warnings: list[Finding] = []


class ChoiceOut(Schema):
    id: int
    application_id: int
    rank: int
    mission_id: int
    mission_title: str
    host_id: int
    status: str
    decision_reason: str
    decided_at: datetime | None
    eligibility: EligibilityOut

    @staticmethod
    def resolve_mission_title(obj: ApplicationChoice) -> str:
        return obj.mission.title

    @staticmethod
    def resolve_host_id(obj: ApplicationChoice) -> int:
        return obj.mission.host_id


class ApplicationOut(Schema):
    id: int
    kind: str
    status: str
    volunteer_id: int
    volunteer_name: str
    sending_organisation_id: int | None
    programme_id: int | None
    motivation: str
    submitted_at: datetime | None

    @staticmethod
    def resolve_volunteer_name(obj: Application) -> str:
        return str(obj.volunteer)


class ApplicationDetailOut(ApplicationOut):
    choices: list[ChoiceOut]

    @staticmethod
    def resolve_choices(obj: Application, context: dict[str, Any]) -> list[ApplicationChoice]:
        # Only the choices the caller may see (a host: its own missions).
        user: AnyUser = context["request"].user
        return list(application_choices_for(user=user, application=obj))


class ApplyIn(Input):
    volunteer_id: Id
    mission_ids: list[Id] = Field(..., max_length=50, description="Ranked, first choice first (at most 6).")
    motivation: LongText = ""


class NominateIn(Input):
    organisation_id: Id
    volunteer_ids: list[Id] = Field(..., max_length=200)
    mission_ids: list[Id] = Field([], max_length=50)
    programme_id: Id | None = None
    motivation: LongText = ""


class ReasonIn(Input):
    reason: ShortText = ""


class AcceptIn(Input):
    """`override_reason` (platform staff only): accept a volunteer the eligibility engine
    refuses; the reason is kept in the application's history."""

    override_reason: LongText = ""


class RefuseIn(Input):
    reason: ShortText


class ApplicationFilters(Schema):
    status: Literal["", "draft", "submitted", "shortlisted", "accepted", "refused", "withdrawn", "placed"] = ""
    kind: Literal["", "application", "nomination"] = ""


def _missions(user: AnyUser, ids: list[int]) -> list[Mission]:
    found = missions_visible_to(user).in_bulk(ids)
    missing = [i for i in ids if i not in found]
    if missing:
        raise Http404
    return [found[i] for i in ids]


def _choice(request: HttpRequest, choice_id: int) -> ApplicationChoice:
    return get_object_or_404(
        choices_visible_to(request.user).select_related("mission", "application"), pk=choice_id
    )


@router.get("", response={200: list[ApplicationOut], 401: ErrorOut, 422: ErrorOut})
@logs_listed_volunteers
@paginate(bounded_pagination(default=100))
def list_applications(
    request: HttpRequest, filters: Query[ApplicationFilters]
) -> QuerySet[Application]:
    """Applications you may see: sent by, received by or coordinated by your organisations."""
    return application_list(user=request.user, status=filters.status, kind=filters.kind)


@router.get("/overdue", response={200: list[ChoiceOut], 401: ErrorOut})
def list_overdue(request: HttpRequest) -> list[ApplicationChoice]:
    """Choices left without a decision for more than `APPLICATION_DECISION_DAYS` days."""
    return list(
        overdue_for(user=request.user, days=settings.APPLICATION_DECISION_DAYS)
        .order_by("application__submitted_at", "id")[:500]
    )


@router.post("", response={201: ApplicationDetailOut, **WRITE_ERRORS})
def apply(request: AuthenticatedHttpRequest, payload: ApplyIn) -> tuple[int, Application]:
    """Apply for up to six published missions, ranked (for yourself, or as an officer of the
    volunteer's sending organisation). Each choice carries its eligibility verdict."""
    volunteer = get_object_or_404(volunteers_visible_to(request.user), pk=payload.volunteer_id)
    application = applying.application_submit(
        actor=request.user, volunteer=volunteer, now=timezone.now(),
        missions=_missions(request.user, payload.mission_ids), motivation=payload.motivation,
    )
    return 201, application


@router.post("/nominations", response={201: list[ApplicationDetailOut], **WRITE_ERRORS})
def nominate(
    request: AuthenticatedHttpRequest, payload: NominateIn
) -> tuple[int, list[Application]]:
    """A partner agency nominates the volunteers it sends, for missions or a programme cohort."""
    organisation = get_object_or_404(Organisation, pk=payload.organisation_id)
    volunteers = list(volunteers_visible_to(request.user).filter(pk__in=payload.volunteer_ids))
    if len(volunteers) != len(set(payload.volunteer_ids)):
        raise Http404
    programme = (
        get_object_or_404(Programme, pk=payload.programme_id) if payload.programme_id else None
    )
    created = applying.application_nominate(
        actor=request.user, organisation=organisation, volunteers=volunteers, now=timezone.now(),
        missions=_missions(request.user, payload.mission_ids), programme=programme,
        motivation=payload.motivation,
    )
    return 201, created


@router.get("/{application_id}", response={200: ApplicationDetailOut, **READ_ERRORS})
def get_application(request: HttpRequest, application_id: Path[Id]) -> Application:
    """One application; a host sees only the choices made for its own missions."""
    application = get_object_or_404(
        applications_visible_to(request.user).select_related("volunteer"), pk=application_id
    )
    api_read(request, application.volunteer)
    return application


@router.post("/{application_id}/withdraw", response={200: ApplicationDetailOut, **WRITE_ERRORS})
def withdraw(
    request: AuthenticatedHttpRequest, application_id: Path[Id], payload: ReasonIn
) -> Application:
    """Withdraw before any placement is confirmed (409 afterwards)."""
    application = get_object_or_404(applications_visible_to(request.user), pk=application_id)
    application = workflow.application_withdraw(
        actor=request.user, application=application, today=timezone.localdate(),
        reason=payload.reason,
    )
    return application


@router.post("/choices/{choice_id}/shortlist", response={200: ChoiceOut, **WRITE_ERRORS})
def shortlist(request: AuthenticatedHttpRequest, choice_id: Path[Id]) -> ApplicationChoice:
    return services.application_choice_shortlist(actor=request.user, choice=_choice(request, choice_id))


@router.post("/choices/{choice_id}/accept", response={200: ChoiceOut, **WRITE_ERRORS})
def accept(
    request: AuthenticatedHttpRequest, choice_id: Path[Id], payload: AcceptIn
) -> ApplicationChoice:
    """Accept a choice for your mission; a proposed placement is created, to be confirmed.

    The volunteer must be eligible now: 409 `not_eligible` with the engine's reasons in
    `details.reasons`, unless platform staff send an `override_reason` (403
    `override_staff_only` for anyone else). The field may be left out (`{}`)."""
    return workflow.application_choice_accept(
        actor=request.user, choice=_choice(request, choice_id), today=timezone.localdate(),
        override_reason=payload.override_reason,
    )


@router.post("/choices/{choice_id}/refuse", response={200: ChoiceOut, **WRITE_ERRORS})
def refuse(
    request: AuthenticatedHttpRequest, choice_id: Path[Id], payload: RefuseIn
) -> ApplicationChoice:
    """Refuse a choice for your mission, with the reason the applicant is told."""
    return services.application_choice_refuse(
        actor=request.user, choice=_choice(request, choice_id), reason=payload.reason
    )
