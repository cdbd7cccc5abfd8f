"""Who plans quotas: platform staff, and the administrators and officers of a coordinator
(partners/permissions.py), for their coordinator's network. Scenarios are working documents of
the coordinator that owns them: other organisations do not see them."""

from django.db.models import QuerySet

from reciprocity.accounts.selectors import AnyUser, is_platform_staff
from reciprocity.partners.models import Organisation
from reciprocity.partners.permissions import coordinator_ids, runs_the_network


def can_plan(user: AnyUser) -> bool:
    return runs_the_network(user)


def owners_for(user: AnyUser) -> QuerySet[Organisation]:
    """The coordinators a user may make a scenario for (staff may also make one for the whole
    platform: no owner)."""
    qs = Organisation.objects.filter(is_coordinator=True).order_by("name", "pk")
    if is_platform_staff(user):
        return qs
    return qs.filter(pk__in=coordinator_ids(user))
