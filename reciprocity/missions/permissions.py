"""Who may write missions: staff, and the admins and officers of the host organisation."""

from reciprocity.accounts.selectors import AnyUser, is_platform_staff, member_organisation_ids
from reciprocity.missions.models import Mission
from reciprocity.partners.models import Organisation


def can_manage_mission(user: AnyUser, mission: Mission) -> bool:
    return can_manage_missions_of(user, mission.host_id)


def can_manage_missions_of(user: AnyUser, host_id: int) -> bool:
    """Manages the missions of this host (the mission page's cached part needs no mission)."""
    if is_platform_staff(user):
        return True
    return host_id in member_organisation_ids(user, writable=True)


def can_host_for(user: AnyUser, host: Organisation) -> bool:
    """May `user` create missions hosted by `host`? Viewers may not; staff always may."""
    if not host.is_host:
        return False
    if is_platform_staff(user):
        return True
    return host.pk in member_organisation_ids(user, writable=True)


def hosts_managed_by(user: AnyUser) -> list[Organisation]:
    """The host organisations for which `user` may create missions, by name."""
    qs = Organisation.objects.hosts().order_by("name")
    if not is_platform_staff(user):
        qs = qs.filter(pk__in=member_organisation_ids(user, writable=True))
    return list(qs)
