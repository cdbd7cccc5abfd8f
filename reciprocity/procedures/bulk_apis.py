"""`/api/v1/procedures/steps/bulk`: move many steps at once, each as one at a time (core/bulk.py)."""

from typing import Annotated, Any, Literal

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router

from reciprocity.accounts.api_auth import SIGNED_IN
from reciprocity.accounts.http import AuthenticatedHttpRequest
from reciprocity.accounts.models import User
from reciprocity.core.api_errors import ErrorOut
from reciprocity.core.api_types import Input, LongText
from reciprocity.core.bounds import Id
from reciprocity.core.bulk import MAX_BULK_ITEMS, BulkResultOut, bulk_out, run_each
from reciprocity.core.exceptions import ApplicationError
from reciprocity.procedures import services
from reciprocity.procedures.models import ProcedureStep, StepStatus
from reciprocity.procedures.selectors import steps_visible_to

router = Router(tags=["procedures"], auth=SIGNED_IN)


class StepsBulkIn(Input):
    to_status: Literal["in_progress", "done"]
    step_ids: Annotated[list[Id], Field(min_length=1, max_length=MAX_BULK_ITEMS)]
    note: LongText = ""


@router.post("/steps/bulk", response={200: BulkResultOut, 401: ErrorOut, 422: ErrorOut})
def steps_bulk(request: AuthenticatedHttpRequest, payload: StepsBulkIn) -> dict[str, Any]:
    """Mark several steps in progress or done. Each step is moved by the same rules as
    `POST /procedures/steps/{id}/advance` would, in its own transaction: the answer is 200 with
    one line per id (in the order sent, each once), `ok` or the refusal's `code` and message
    (`not_found` for a step you do not see). Lines done stay done when others are refused."""
    ids = list(dict.fromkeys(payload.step_ids))
    found = {s.pk: s for s in steps_visible_to(request.user).filter(pk__in=ids)}
    now = timezone.now()

    def act(step: ProcedureStep) -> str:
        services.procedure_step_advance(step=step, to_status=payload.to_status,
                                        actor=request.user, note=payload.note, now=now)
        return str(StepStatus(payload.to_status).label)

    return bulk_out(run_each(ids, found, act=act, label=lambda s: str(s.pk)))


class StepsAssignIn(Input):
    step_ids: Annotated[list[Id], Field(min_length=1, max_length=MAX_BULK_ITEMS)]
    assignee_id: Id | None = Field(
        ..., description="The person to give the steps to; null takes them back.")


@router.post("/steps/bulk/assign", response={200: BulkResultOut, 401: ErrorOut, 422: ErrorOut})
def steps_bulk_assign(request: AuthenticatedHttpRequest, payload: StepsAssignIn) -> dict[str, Any]:
    """Give several steps to one person (or take them back with `assignee_id: null`). Each step
    by the rules of one at a time: you must be allowed to tick it and so must the person
    (`assignee_not_allowed` otherwise, also for an unknown person); one line per id."""
    ids = list(dict.fromkeys(payload.step_ids))
    found = {s.pk: s for s in steps_visible_to(request.user).filter(pk__in=ids)}
    assignee = (User.objects.filter(pk=payload.assignee_id, is_active=True).first()
                if payload.assignee_id is not None else None)

    def act(step: ProcedureStep) -> str:
        if payload.assignee_id is not None and assignee is None:
            raise ApplicationError(_("This person cannot act on this step."),
                                   code="assignee_not_allowed")
        services.procedure_step_assign(step=step, assignee=assignee, actor=request.user)
        return str(_("Assigned"))

    return bulk_out(run_each(ids, found, act=act, label=lambda s: str(s.pk)))
