"""During and after the mission: evaluations (mid-term, final) and the six-month follow-up."""

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from reciprocity.accounts.models import User
from reciprocity.accounts.selectors import is_platform_staff, member_organisation_ids
from reciprocity.core.exceptions import ApplicationError, InvalidTransition, NotAllowed
from reciprocity.placements import permissions
from reciprocity.placements.models import (
    Evaluation,
    EvaluationAuthor,
    EvaluationStage,
    FollowUp,
    FollowUpSituation,
    Placement,
    PlacementStatus,
)
from reciprocity.placements.selectors import follow_up_due_on

P = PlacementStatus

# Which placement statuses admit each evaluation: mid-term while running, final at or after the end.
EVALUATION_WINDOWS: dict[str, set[str]] = {
    EvaluationStage.MIDTERM: {P.IN_MISSION},
    EvaluationStage.FINAL: {P.IN_MISSION, P.COMPLETED, P.INTERRUPTED},
}


def _check_rating(name: str, value: int) -> None:
    if not (isinstance(value, int) and 1 <= value <= 5):
        raise ApplicationError(
            _("Ratings go from 1 to 5."), code="bad_rating", details={"field": name}
        )


@transaction.atomic
def evaluation_submit(
    *, actor: User, placement: Placement, stage: str, author_role: str, mission_rating: int,
    integration_rating: int, support_rating: int, comments: str = "",
) -> Evaluation:
    """The volunteer writes the volunteer's evaluation, the host (tutor) the tutor's, once each."""
    if stage not in EvaluationStage.values or author_role not in EvaluationAuthor.values:
        raise ApplicationError(_("Unknown evaluation stage or author."), code="bad_evaluation")
    if author_role == EvaluationAuthor.VOLUNTEER:
        allowed = permissions.is_the_volunteer(actor, placement) or is_platform_staff(actor)
    else:
        allowed = permissions.can_write_as_tutor(actor, placement)
    if not allowed:
        raise NotAllowed(_("You may not write this evaluation."))
    placement = Placement.objects.select_for_update().get(pk=placement.pk)
    if placement.status not in EVALUATION_WINDOWS[stage]:
        raise InvalidTransition(
            _("A %(stage)s evaluation cannot be written while the placement is “%(status)s”.")
            % {"stage": EvaluationStage(stage).label.lower(), "status": P(placement.status).label},
            code="evaluation_not_open",
        )
    for name, value in (("mission_rating", mission_rating),
                        ("integration_rating", integration_rating),
                        ("support_rating", support_rating)):
        _check_rating(name, value)
    if Evaluation.objects.filter(placement=placement, stage=stage, author_role=author_role).exists():
        raise ApplicationError(_("This evaluation has already been written."), code="already_written")
    return Evaluation.objects.create(
        placement=placement, stage=stage, author_role=author_role, mission_rating=mission_rating,
        integration_rating=integration_rating, support_rating=support_rating,
        comments=comments.strip(), submitted_by=actor,
    )


def can_record_follow_up(user: User, placement: Placement) -> bool:
    if is_platform_staff(user) or permissions.is_the_volunteer(user, placement):
        return True
    orgs = member_organisation_ids(user, writable=True)
    return placement.sending_organisation_id in orgs or placement.mission.host_id in orgs


@transaction.atomic
def follow_up_record(
    *, actor: User, placement: Placement, situation: str, details: str = "", today: date
) -> FollowUp:
    """Record (or correct) where the volunteer stands, from six months after the end."""
    if not can_record_follow_up(actor, placement):
        raise NotAllowed(_("You may not record this follow-up."))
    if situation not in FollowUpSituation.values:
        raise ApplicationError(_("Unknown situation."), code="bad_situation")
    if placement.status not in {P.COMPLETED, P.INTERRUPTED}:
        raise InvalidTransition(
            _("The follow-up comes after the end of the mission."), code="follow_up_not_open"
        )
    due = follow_up_due_on(placement)
    if today < due:
        raise InvalidTransition(
            _("The follow-up is due from %(day)s, six months after the end.") % {"day": due},
            code="follow_up_not_due", details={"due_on": due.isoformat()},
        )
    follow_up, _created = FollowUp.objects.update_or_create(
        placement=placement,
        defaults={"situation": situation, "details": details.strip(), "recorded_on": today,
                  "recorded_by": actor},
    )
    return follow_up
