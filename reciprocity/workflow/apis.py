"""The API operations that drive a workflow use-case (ADR 0005, "faces").

They sit on the apps' routers (`/api/v1/applications`, `/api/v1/offers`, `/api/v1/placements`), with the paths,
operation ids, tags, summaries and place in the schema they had when they lived in those apps'
apis.py: the apps' modules import nothing of the workflow, and reciprocity/api.py imports this
module before it mounts the routers. Schemas and errors stay the apps'.
"""

from collections.abc import Callable
from typing import Any

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Path, Router

from reciprocity.accounts.http import AuthenticatedHttpRequest
from reciprocity.accounts.selectors import AnyUser
from reciprocity.agreements.models import Programme
from reciprocity.applications import apis as application_apis
from reciprocity.applications import offer_apis
from reciprocity.applications.apis import (
    WRITE_ERRORS,
    AcceptIn,
    ApplicationDetailOut,
    ApplyIn,
    ChoiceOut,
    NominateIn,
    ReasonIn,
    choice_or_404,
)
from reciprocity.applications.models import Application, ApplicationChoice, Offer
from reciprocity.applications.offer_apis import OfferOut, offer_or_404
from reciprocity.applications.selectors import applications_visible_to
from reciprocity.core.bounds import Id
from reciprocity.missions.models import Mission
from reciprocity.missions.selectors import missions_visible_to
from reciprocity.partners.models import Organisation
from reciprocity.placements import apis as placement_apis
from reciprocity.placements.apis import WRITE_ERRORS as PLACEMENT_WRITE_ERRORS
from reciprocity.placements.apis import (
    CancelIn,
    ConfirmIn,
    DayIn,
    InterruptIn,
    PlacementDetailOut,
    placement_or_404,
)
from reciprocity.placements.models import Placement
from reciprocity.volunteers.selectors import volunteers_visible_to
from reciprocity.workflow import applying
from reciprocity.workflow import services as workflow


def _operation(
    router: Router, method: str, path: str, *, module: str, before: str | None,
    response: Any,
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Add the decorated function to an app's router as it was declared there: the operation id
    ninja derived from the app's module (`<module>_<function>`, with dots as underscores), and
    its path placed before `before` so that the URLs resolve in the same order (a fixed path
    such as `/nominations` before `/{application_id}`) and the schema lists them as before."""

    def register(view: Callable[..., Any]) -> Callable[..., Any]:
        operation_id = f"{module}_{view.__name__}".replace(".", "_")
        router.add_api_operation(path, [method], view, response=response,
                                 operation_id=operation_id)
        operations = router.path_operations
        if before is not None and list(operations).index(path) > list(operations).index(before):
            moved = operations.pop(path)
            items = list(operations.items())
            at = [key for key, _view in items].index(before)
            items.insert(at, (path, moved))
            operations.clear()
            operations.update(items)
        return view

    return register


# --- /api/v1/applications ---------------------------------------------------------------------

_APPLICATIONS = "reciprocity.applications.apis"


def _missions(user: AnyUser, ids: list[int]) -> list[Mission]:
    found = missions_visible_to(user).in_bulk(ids)
    missing = [i for i in ids if i not in found]
    if missing:
        raise Http404
    return [found[i] for i in ids]


@_operation(application_apis.router, "POST", "", module=_APPLICATIONS, before=None,
            response={201: ApplicationDetailOut, **WRITE_ERRORS})
def apply(request: AuthenticatedHttpRequest, payload: ApplyIn) -> tuple[int, Application]:
    """Apply for up to six published missions, ranked (for yourself, or as an officer of the
    volunteer's sending organisation). Each choice carries its eligibility verdict."""
    volunteer = get_object_or_404(volunteers_visible_to(request.user), pk=payload.volunteer_id)
    application = applying.application_submit(
        actor=request.user, volunteer=volunteer, now=timezone.now(),
        missions=_missions(request.user, payload.mission_ids), motivation=payload.motivation,
    )
    return 201, application


@_operation(application_apis.router, "POST", "/nominations", module=_APPLICATIONS,
            before="/{application_id}",
            response={201: list[ApplicationDetailOut], **WRITE_ERRORS})
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


@_operation(application_apis.router, "POST", "/{application_id}/withdraw", module=_APPLICATIONS,
            before="/choices/{choice_id}/shortlist",
            response={200: ApplicationDetailOut, **WRITE_ERRORS})
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


@_operation(application_apis.router, "POST", "/choices/{choice_id}/accept", module=_APPLICATIONS,
            before="/choices/{choice_id}/refuse", response={200: ChoiceOut, **WRITE_ERRORS})
def accept(
    request: AuthenticatedHttpRequest, choice_id: Path[Id], payload: AcceptIn
) -> ApplicationChoice:
    """Accept a choice for your mission; a proposed placement is created, to be confirmed.

    The volunteer must be eligible now: 409 `not_eligible` with the engine's reasons in
    `details.reasons`, unless platform staff send an `override_reason` (403
    `override_staff_only` for anyone else). The field may be left out (`{}`)."""
    return workflow.application_choice_accept(
        actor=request.user, choice=choice_or_404(request, choice_id), today=timezone.localdate(),
        now=timezone.now(), override_reason=payload.override_reason,
    )


# --- /api/v1/offers ---------------------------------------------------------------------------

@_operation(offer_apis.router, "POST", "/{offer_id}/decline",
            module="reciprocity.applications.offer_apis", before=None,
            response={200: OfferOut, **WRITE_ERRORS})
def decline_offer(
    request: AuthenticatedHttpRequest, offer_id: Path[Id], payload: ReasonIn
) -> Offer:
    """Decline the place (an optional reason): the placement lapses and the place is offered to
    the first of the mission's waiting list."""
    return workflow.offer_decline(
        actor=request.user, offer=offer_or_404(request, offer_id), today=timezone.localdate(),
        now=timezone.now(), reason=payload.reason,
    )


# --- /api/v1/placements -----------------------------------------------------------------------

_PLACEMENTS = "reciprocity.placements.apis"


@_operation(placement_apis.router, "POST", "/{placement_id}/confirm", module=_PLACEMENTS,
            before="/{placement_id}/tutor",
            response={200: PlacementDetailOut, **PLACEMENT_WRITE_ERRORS})
def confirm(
    request: AuthenticatedHttpRequest, placement_id: Path[Id], payload: ConfirmIn
) -> Placement:
    """Take a place in the mission, the agreement's yearly quota and the host's accreditation;
    409 `mission_full`, `quota_exceeded`, `host_not_accredited` or `accreditation_full` if not.

    The volunteer must be eligible: 409 `not_eligible` with the engine's reasons in
    `details.reasons`, unless platform staff send an `override_reason` (403
    `override_staff_only` for anyone else). Beyond the agreement's tolerance: 400
    `tolerance_reason_required` without a `tolerance_reason`, 409 `tolerance_strict` when the
    agreement refuses it whatever the reason. Both fields may be left out (`{}`)."""
    return workflow.placement_confirm(
        placement=placement_or_404(request, placement_id), actor=request.user,
        today=timezone.localdate(), now=timezone.now(),
        override_reason=payload.override_reason, tolerance_reason=payload.tolerance_reason,
    )


@_operation(placement_apis.router, "POST", "/{placement_id}/start", module=_PLACEMENTS,
            before="/{placement_id}/tutor",
            response={200: PlacementDetailOut, **PLACEMENT_WRITE_ERRORS})
def start(request: AuthenticatedHttpRequest, placement_id: Path[Id], payload: DayIn) -> Placement:
    return workflow.placement_start(
        placement=placement_or_404(request, placement_id), actor=request.user, on=payload.on
    )


@_operation(placement_apis.router, "POST", "/{placement_id}/complete", module=_PLACEMENTS,
            before="/{placement_id}/tutor",
            response={200: PlacementDetailOut, **PLACEMENT_WRITE_ERRORS})
def complete(request: AuthenticatedHttpRequest, placement_id: Path[Id], payload: DayIn) -> Placement:
    return workflow.placement_complete(
        placement=placement_or_404(request, placement_id), actor=request.user, on=payload.on
    )


@_operation(placement_apis.router, "POST", "/{placement_id}/cancel", module=_PLACEMENTS,
            before="/{placement_id}/tutor",
            response={200: PlacementDetailOut, **PLACEMENT_WRITE_ERRORS})
def cancel(request: AuthenticatedHttpRequest, placement_id: Path[Id], payload: CancelIn) -> Placement:
    """Cancel before the start (proposed or confirmed), with a reason."""
    return workflow.placement_cancel(
        placement=placement_or_404(request, placement_id), actor=request.user, reason=payload.reason,
        on=timezone.localdate(),
    )


@_operation(placement_apis.router, "POST", "/{placement_id}/interrupt", module=_PLACEMENTS,
            before="/{placement_id}/tutor",
            response={200: PlacementDetailOut, **PLACEMENT_WRITE_ERRORS})
def interrupt(request: AuthenticatedHttpRequest, placement_id: Path[Id], payload: InterruptIn) -> Placement:
    """Early termination after the start: last day, ground and explanation."""
    return workflow.placement_interrupt(
        placement=placement_or_404(request, placement_id), actor=request.user,
        on=payload.on, reason=payload.reason, termination_reason=payload.termination_reason,
    )
