"""`/api/v1/applications`: list, read, shortlist and refuse; same rules as the pages.

The operations that drive a workflow use-case (apply, nominate, withdraw, accept a choice) are
the workflow's (workflow/apis.py): it adds them to this router, with the paths, operation ids
and place in the schema they always had, so that applications imports nothing of the workflow."""

from datetime import datetime
from typing import Any, Literal

from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Path, Query, Router, Schema
from ninja.pagination import paginate

from reciprocity.accounts.api_auth import SIGNED_IN
from reciprocity.accounts.http import AuthenticatedHttpRequest
from reciprocity.accounts.selectors import AnyUser
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
from reciprocity.volunteers.access import api_read, logs_listed_volunteers

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


def choice_or_404(request: HttpRequest, choice_id: int) -> ApplicationChoice:
    """The choice if this user may see it (also for the workflow's accept, workflow/apis.py)."""
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
        overdue_for(user=request.user, days=settings.APPLICATION_DECISION_DAYS, now=timezone.now())
        .order_by("application__submitted_at", "id")[:500]
    )


@router.get("/{application_id}", response={200: ApplicationDetailOut, **READ_ERRORS})
def get_application(request: HttpRequest, application_id: Path[Id]) -> Application:
    """One application; a host sees only the choices made for its own missions."""
    application = get_object_or_404(
        applications_visible_to(request.user).select_related("volunteer"), pk=application_id
    )
    api_read(request, application.volunteer)
    return application


@router.post("/choices/{choice_id}/shortlist", response={200: ChoiceOut, **WRITE_ERRORS})
def shortlist(request: AuthenticatedHttpRequest, choice_id: Path[Id]) -> ApplicationChoice:
    return services.application_choice_shortlist(actor=request.user, choice=choice_or_404(request, choice_id))


@router.post("/choices/{choice_id}/refuse", response={200: ChoiceOut, **WRITE_ERRORS})
def refuse(
    request: AuthenticatedHttpRequest, choice_id: Path[Id], payload: RefuseIn
) -> ApplicationChoice:
    """Refuse a choice for your mission, with the reason the applicant is told."""
    return services.application_choice_refuse(
        actor=request.user, choice=choice_or_404(request, choice_id), reason=payload.reason,
        now=timezone.now(),
    )
