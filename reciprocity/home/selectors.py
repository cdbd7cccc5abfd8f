"""What each role sees first on the home page: the work waiting for them.

The home page gathers many apps, so it sits at the top of the layers (docs/architecture.md): it
reads their selectors, and nothing imports it but the URLs.
"""

from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db.models import QuerySet

from reciprocity.accounts.selectors import AnyUser, is_platform_staff, member_organisation_ids
from reciprocity.agreements.selectors import agreements_visible_to
from reciprocity.applications.models import ApplicationChoice
from reciprocity.applications.selectors import (
    applications_visible_to,
    choices_awaiting_decision,
    offers_to_answer,
    overdue_for,
)
from reciprocity.balance.selectors import AgreementBalance, agreement_balances
from reciprocity.missions.models import Mission
from reciprocity.missions.selectors import missions_visible_to
from reciprocity.notifications.selectors import unread_count
from reciprocity.partners.models import Organisation
from reciprocity.placements.models import Placement
from reciprocity.procedures.selectors import steps_due
from reciprocity.volunteers.selectors import volunteers_visible_to

AGREEMENTS_ON_HOME = 8
DUE_SOON = timedelta(days=30)


def home_summary(*, user: AnyUser, today: date, now: datetime) -> dict[str, Any]:
    """The home page's context for `user` on `today`, at `now` (the view reads the clock)."""
    published = Mission.objects.published()
    summary: dict[str, Any] = {
        "role": "anonymous",
        "published_count": published.count(),
        "upcoming": published.select_related("host").order_by("start_date", "id")[:6],
    }
    if not user.is_authenticated:
        return summary
    volunteer = getattr(user, "volunteer", None)
    orgs = member_organisation_ids(user)
    if is_platform_staff(user):
        summary["role"] = "staff"
    elif orgs:
        summary["role"] = "member"
    elif volunteer is not None:
        summary["role"] = "volunteer"
    due = steps_due(user=user, today=today, mine=True)
    summary.update(
        unread=unread_count(user=user),
        steps_overdue=due.filter(due_by__lt=today).count(),
        steps_due_soon=due.filter(due_by__gte=today, due_by__lte=today + DUE_SOON).count(),
        # Places offered to the volunteer (or to those their organisation sends), to answer.
        offers_to_answer=list(offers_to_answer(user=user)[:20]),
        today=today,
    )
    if summary["role"] in {"staff", "member"}:
        summary.update(
            volunteer_count=volunteers_visible_to(user).count(),
            agreement_count=agreements_visible_to(user).count(),
            # Applications, not choices, and both figures from one definition: the late
            # ones are among those waiting (an application counts once, whatever its choices).
            to_decide=_applications(choices_awaiting_decision(user=user)),
            unanswered=_applications(
                overdue_for(user=user, days=settings.APPLICATION_DECISION_DAYS, now=now)),
            decision_days=settings.APPLICATION_DECISION_DAYS,
            balances=_out_of_tolerance_first(agreement_balances(user=user, year=today.year)),
            year=today.year,
            my_organisations=Organisation.objects.filter(pk__in=orgs).order_by("name", "id"),
            my_missions=missions_visible_to(user).filter(host_id__in=orgs).order_by("-start_date", "id")[:8]
            if orgs
            else [],
        )
    if volunteer is not None:
        summary["my_applications"] = applications_visible_to(user).filter(volunteer=volunteer).order_by("-id")
        summary["my_placements"] = (
            Placement.objects.filter(volunteer=volunteer)
            .select_related("mission", "mission__host")
            .order_by("-start_date")
        )
    return summary


def _applications(choices: QuerySet[ApplicationChoice]) -> int:
    return choices.values("application_id").distinct().count()


def _out_of_tolerance_first(balances: list[AgreementBalance]) -> list[AgreementBalance]:
    """Agreements with a planned balance this year, those out of tolerance first: they are what a
    coordinator must act on. Each balance is paired with its (non-empty) planned value so the sort
    key needs no None check."""
    planned = [(b, b.planned) for b in balances if b.planned is not None]
    planned.sort(key=lambda pair: (pair[1].within_tolerance, pair[0].agreement.reference))
    return [b for b, _ in planned[:AGREEMENTS_ON_HOME]]
