"""Who may see a procedure, tick which step, upload documents.

Seeing: whoever sees the placement (staff, the volunteer, members of the host and of the
sending organisation). Ticking a step (changing its status) follows the step's owner:

| owner                  | who may tick                                                        |
|------------------------|---------------------------------------------------------------------|
| host_organisation      | officers and administrators of the host                              |
| sending_organisation   | officers and administrators of the sending organisation              |
| volunteer              | the volunteer (own account), and the sending organisation's officers |
|                        | who accompany volunteers that have no account                        |
| coordinator            | officers of a coordinator organisation that is the host, the sender  |
|                        | or a party to the placement's agreement                              |

Platform staff may tick every step. Viewers (read-only role) tick nothing. Uploading a document
is open to the volunteer and to officers of the host and of the sending organisation.
"""

from reciprocity.accounts.selectors import AnyUser, is_platform_staff, member_organisation_ids
from reciprocity.partners.models import Organisation
from reciprocity.placements.models import Placement
from reciprocity.procedures.models import Procedure, ProcedureStep, StepOwner


def can_view(user: AnyUser, placement: Placement) -> bool:
    if is_platform_staff(user):
        return True
    if not user.is_authenticated:
        return False
    if placement.volunteer.user_id == user.pk:
        return True
    orgs = member_organisation_ids(user)
    return placement.mission.host_id in orgs or placement.sending_organisation_id in orgs


def _coordinator_ids(placement: Placement) -> set[int]:
    parties = {placement.mission.host_id, placement.sending_organisation_id}
    agreement = placement.agreement if placement.agreement_id else None
    if agreement is not None:
        parties |= {agreement.party_a_id, agreement.party_b_id}
    ids = {i for i in parties if i}
    return set(
        Organisation.objects.filter(pk__in=ids, is_coordinator=True).values_list("pk", flat=True)
    )


def owners_writable_by(user: AnyUser, placement: Placement) -> set[str]:
    """The step owners whose steps `user` may tick on this placement."""
    if is_platform_staff(user):
        return set(StepOwner.values)
    if not user.is_authenticated:
        return set()
    owners: set[str] = set()
    if placement.volunteer.user_id == user.pk:
        owners.add(StepOwner.VOLUNTEER)
    orgs = member_organisation_ids(user, writable=True)
    if not orgs:
        return owners
    if placement.mission.host_id in orgs:
        owners.add(StepOwner.HOST_ORGANISATION)
    if placement.sending_organisation_id in orgs:
        owners |= {StepOwner.SENDING_ORGANISATION, StepOwner.VOLUNTEER}
    if orgs & _coordinator_ids(placement):
        owners.add(StepOwner.COORDINATOR)
    return owners


def can_tick(user: AnyUser, step: ProcedureStep) -> bool:
    return step.owner in owners_writable_by(user, step.procedure.placement)


def can_upload(user: AnyUser, procedure: Procedure) -> bool:
    placement = procedure.placement
    if is_platform_staff(user):
        return True
    if not user.is_authenticated:
        return False
    if placement.volunteer.user_id == user.pk:
        return True
    orgs = member_organisation_ids(user, writable=True)
    return placement.mission.host_id in orgs or placement.sending_organisation_id in orgs
