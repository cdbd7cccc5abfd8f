"""`/api/v1/procedures/steps/bulk`: move many steps at once, each as one at a time (core/bulk.py)."""

from typing import Annotated, Any, Literal

from ninja import Field, Router

from reciprocity.accounts.http import AuthenticatedHttpRequest
from reciprocity.core.api_auth import SIGNED_IN
from reciprocity.core.api_errors import ErrorOut
from reciprocity.core.api_types import Input, LongText
from reciprocity.core.bounds import Id
from reciprocity.core.bulk import MAX_BULK_ITEMS, BulkResultOut, bulk_out, run_each
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

    def act(step: ProcedureStep) -> str:
        services.procedure_step_advance(step=step, to_status=payload.to_status,
                                        actor=request.user, note=payload.note)
        return str(StepStatus(payload.to_status).label)

    return bulk_out(run_each(ids, found, act=act, label=lambda s: str(s.pk)))
