"""`/api/v1/decisions/bulk`: decide on many application choices at once, each as one at a time
(core/bulk.py). In home with the page (home/bulk_views.py): accepting is the workflow's use-case."""

from typing import Annotated, Any, Literal

from django.utils import timezone
from ninja import Field, Router

from reciprocity.accounts.api_auth import SIGNED_IN
from reciprocity.accounts.http import AuthenticatedHttpRequest
from reciprocity.applications import services
from reciprocity.applications.models import ApplicationChoice, ChoiceStatus
from reciprocity.applications.selectors import choices_visible_to
from reciprocity.core.api_errors import ErrorOut
from reciprocity.core.api_types import Input, ShortText
from reciprocity.core.bounds import Id
from reciprocity.core.bulk import MAX_BULK_ITEMS, BulkResultOut, bulk_out, run_each
from reciprocity.workflow import services as workflow

router = Router(tags=["applications"], auth=SIGNED_IN)


class DecisionsBulkIn(Input):
    action: Literal["shortlist", "accept", "refuse"]
    choice_ids: Annotated[list[Id], Field(min_length=1, max_length=MAX_BULK_ITEMS)]
    # Told to each applicant refused; required for `refuse` (each line refused without it).
    reason: ShortText = ""


@router.post("/bulk", response={200: BulkResultOut, 401: ErrorOut, 422: ErrorOut})
def decisions_bulk(request: AuthenticatedHttpRequest, payload: DecisionsBulkIn) -> dict[str, Any]:
    """Shortlist, accept or refuse several choices on your missions. Each choice goes through
    the same rules as `POST /applications/choices/{id}/{action}` (the host's permission, the
    application's status, eligibility for `accept`), in its own transaction: the answer is 200
    with one line per id (in the order sent, each once), `ok` or the refusal's `code` and
    message (`not_found` for a choice you do not see). Lines done stay done."""
    ids = list(dict.fromkeys(payload.choice_ids))
    found = {c.pk: c for c in choices_visible_to(request.user).filter(pk__in=ids)
             .select_related("mission", "application")}
    now = timezone.now()
    today = timezone.localdate(now)

    def act(choice: ApplicationChoice) -> str:
        if payload.action == "shortlist":
            services.application_choice_shortlist(actor=request.user, choice=choice)
        elif payload.action == "accept":
            workflow.application_choice_accept(actor=request.user, choice=choice, today=today,
                                               now=now)
        else:
            services.application_choice_refuse(actor=request.user, choice=choice,
                                               reason=payload.reason, now=now)
        choice.refresh_from_db(fields=["status"])
        return str(ChoiceStatus(choice.status).label)

    return bulk_out(run_each(ids, found, act=act, label=lambda c: str(c.pk)))
