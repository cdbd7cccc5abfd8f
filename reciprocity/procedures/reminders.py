"""The daily reminder: one message per person listing the steps they own that are due soon or late.

Owners of a step: the officers and administrators of the host (host steps), of the sending
organisation (sending steps and, when the volunteer has no account, volunteer steps), the
volunteer (volunteer steps), and the officers of the coordinator organisations party to the
placement (coordinator steps; platform staff when there is none).
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from reciprocity.accounts.models import Membership, MembershipRole, User
from reciprocity.core.l10n import format_day
from reciprocity.notifications.models import Notification
from reciprocity.notifications.services import notify
from reciprocity.partners.models import Organisation
from reciprocity.placements.models import Placement, PlacementStatus
from reciprocity.procedures.models import OPEN_STATUSES, ProcedureStep, StepOwner

ACTIVE = (PlacementStatus.CONFIRMED, PlacementStatus.IN_MISSION)
WRITERS = (MembershipRole.ADMIN, MembershipRole.OFFICER)
# A coordinator may own hundreds of late steps: the e-mail lists the first ones and links to the
# full list instead of growing without bound.
MAX_LINES = 30
REMINDER_VERB = "procedure.steps_due"
REMIND_AGAIN_AFTER = timedelta(hours=20)


@dataclass(frozen=True)
class RemindResult:
    people: int
    steps: int


def _officers_by_organisation(organisation_ids: set[int]) -> dict[int, list[User]]:
    found: dict[int, list[User]] = defaultdict(list)
    rows = Membership.objects.filter(
        organisation_id__in=organisation_ids, role__in=WRITERS, user__is_active=True
    ).select_related("user").order_by("user_id")
    for membership in rows:
        found[membership.organisation_id].append(membership.user)
    return found


def _steps_to_remind(today: date, days: int) -> list[ProcedureStep]:
    return list(
        ProcedureStep.objects.filter(
            status__in=OPEN_STATUSES,
            procedure__placement__status__in=ACTIVE,
            due_by__lte=today + timedelta(days=days),
        )
        .select_related(
            "procedure__placement__volunteer__user", "procedure__placement__mission",
            "procedure__placement__agreement",
        )
        .order_by("due_by", "procedure_id", "position")
    )


def _agreement_parties(placement: Placement) -> set[int]:
    agreement = placement.agreement if placement.agreement_id else None
    return {agreement.party_a_id, agreement.party_b_id} if agreement is not None else set()


def _owners(steps: list[ProcedureStep]) -> dict[int, tuple[User, list[ProcedureStep]]]:
    """Each person to remind, with the steps they own (a person is listed once)."""
    org_ids: set[int] = set()
    for step in steps:
        p = step.procedure.placement
        org_ids |= {i for i in (p.mission.host_id, p.sending_organisation_id) if i}
        org_ids |= _agreement_parties(p)
    officers = _officers_by_organisation(org_ids)
    coordinators = set(
        Organisation.objects.filter(pk__in=org_ids, is_coordinator=True).values_list("pk", flat=True)
    )
    staff = list(User.objects.filter(Q(is_staff=True) | Q(is_superuser=True), is_active=True))
    people: dict[int, tuple[User, list[ProcedureStep]]] = {}
    for step in steps:
        p = step.procedure.placement
        users: list[User] = []
        if step.owner == StepOwner.HOST_ORGANISATION:
            users = officers.get(p.mission.host_id, [])
        elif step.owner == StepOwner.SENDING_ORGANISATION:
            users = officers.get(p.sending_organisation_id or 0, [])
        elif step.owner == StepOwner.VOLUNTEER:
            user = p.volunteer.user
            users = [user] if user and user.is_active else officers.get(
                p.sending_organisation_id or 0, []
            )
        elif step.owner == StepOwner.COORDINATOR:
            parties = {i for i in (p.mission.host_id, p.sending_organisation_id) if i}
            parties |= _agreement_parties(p)
            users = [u for org in sorted(parties & coordinators) for u in officers.get(org, [])]
            users = users or staff
        for user in users:
            people.setdefault(user.pk, (user, []))[1].append(step)
    return people


def _body(user: User, steps: list[ProcedureStep], today: date) -> tuple[str, str]:
    with translation.override(user.preferred_language or "en"):
        lines = []
        for step in steps[:MAX_LINES]:
            placement = step.procedure.placement
            assert step.due_by is not None  # only dated steps are reminded
            state = _("overdue since %(day)s") if step.due_by < today else _("due by %(day)s")
            lines.append(
                f"- {step.title} — {placement.volunteer}, {placement.mission.title}: "
                + state % {"day": format_day(step.due_by)}
                + f" ({reverse('procedures:detail', args=[step.procedure_id])})"
            )
        if len(steps) > MAX_LINES:
            lines.append(_("… and %(n)d more: see “What is due”.") % {"n": len(steps) - MAX_LINES})
        subject = _("Reciprocity: %(n)d procedure steps due") % {"n": len(steps)}
        body = _("These procedure steps are yours and due soon or overdue:") + "\n\n" + "\n".join(
            lines
        )
    return subject, body


@transaction.atomic
def procedures_remind(*, today: date, now: datetime, days: int = 7) -> RemindResult:
    """Tell every owner of an open step due within `days` days or overdue, one message each.

    The in-app notification rows are written now and the e-mails leave after the commit. `now`
    is the moment the edge read: somebody reminded less than REMIND_AGAIN_AFTER before it is
    skipped.
    """
    steps = _steps_to_remind(today, days)
    people = _owners(steps)
    # A daily job run twice (a retry, a second cron) must not remind anybody twice.
    already = set(
        Notification.objects.filter(
            verb=REMINDER_VERB, created_at__gte=now - REMIND_AGAIN_AFTER
        ).values_list("user_id", flat=True)
    )
    people = {key: value for key, value in people.items() if value[0].pk not in already}
    for user, owned in people.values():
        subject, body = _body(user, owned, today)
        notify(
            users=[user], subject=subject, body=body,
            link=reverse("procedures:due"), verb=REMINDER_VERB,
        )
    return RemindResult(people=len(people), steps=len(steps))
