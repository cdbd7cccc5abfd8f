"""What each role sees first on the home page."""

from typing import Any

from reciprocity.accounts.selectors import AnyUser, is_platform_staff, member_organisation_ids
from reciprocity.agreements.selectors import agreements_visible_to
from reciprocity.missions.models import Mission
from reciprocity.missions.selectors import missions_visible_to
from reciprocity.placements.models import Placement
from reciprocity.volunteers.selectors import volunteers_visible_to


def home_summary(*, user: AnyUser) -> dict[str, Any]:
    published = Mission.objects.published()
    summary: dict[str, Any] = {
        "role": "anonymous",
        "published_count": published.count(),
        "upcoming": published.select_related("host").order_by("start_date", "id")[:6],
    }
    if not user.is_authenticated:
        return summary
    volunteer = getattr(user, "volunteer", None)
    if is_platform_staff(user):
        summary["role"] = "staff"
    elif member_organisation_ids(user):
        summary["role"] = "member"
    elif volunteer is not None:
        summary["role"] = "volunteer"
    if summary["role"] in {"staff", "member"}:
        orgs = member_organisation_ids(user)
        summary.update(
            volunteer_count=volunteers_visible_to(user).count(),
            agreement_count=agreements_visible_to(user).count(),
            my_missions=missions_visible_to(user)
            .filter(host_id__in=orgs)
            .order_by("-start_date", "id")[:8]
            if orgs
            else [],
        )
    if volunteer is not None:
        summary["my_placements"] = (
            Placement.objects.filter(volunteer=volunteer)
            .select_related("mission", "mission__host")
            .order_by("-start_date")
        )
    return summary
