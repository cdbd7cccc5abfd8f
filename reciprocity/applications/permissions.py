"""Who may do what with applications: named checks, one per action."""

from django.db.models import Q

from reciprocity.accounts.models import MembershipRole
from reciprocity.accounts.selectors import (
    AnyUser,
    is_platform_staff,
    member_organisation_ids,
    memberships_of,
)
from reciprocity.applications.models import Application, ApplicationChoice, Offer
from reciprocity.missions.models import Mission
from reciprocity.volunteers.models import Volunteer


def can_apply_for(user: AnyUser, volunteer: Volunteer) -> bool:
    """The volunteer themselves, an officer of their sending organisation, or platform staff."""
    if is_platform_staff(user):
        return True
    if not user.is_authenticated:
        return False
    if volunteer.user_id == user.pk:
        return True
    return volunteer.sending_organisation_id in member_organisation_ids(user, writable=True)


def can_nominate(user: AnyUser) -> bool:
    """The nomination page: platform staff, or an administrator or officer of an organisation
    that sends volunteers (a viewer, a volunteer or a host that sends nobody has no use of it)."""
    if is_platform_staff(user):
        return True
    return memberships_of(user).filter(
        Q(organisation__is_sending=True) | Q(organisation__is_national_agency=True),
        role__in=[MembershipRole.ADMIN, MembershipRole.OFFICER],
    ).exists()


def can_nominate_for(user: AnyUser, organisation_id: int) -> bool:
    return is_platform_staff(user) or organisation_id in member_organisation_ids(user, writable=True)


def can_decide(user: AnyUser, choice: ApplicationChoice) -> bool:
    """Only the host of the chosen mission (an officer or administrator) decides on a choice."""
    return is_platform_staff(user) or choice.mission.host_id in member_organisation_ids(
        user, writable=True
    )


def can_withdraw(user: AnyUser, application: Application) -> bool:
    if is_platform_staff(user):
        return True
    if not user.is_authenticated:
        return False
    if application.volunteer.user_id == user.pk:
        return True
    return application.sending_organisation_id in member_organisation_ids(user, writable=True)


def sees_every_choice(user: AnyUser, application: Application) -> bool:
    """The applicant's side sees all choices; a host sees only the choices for its missions."""
    if is_platform_staff(user):
        return True
    if not user.is_authenticated:
        return False
    if application.volunteer.user_id == user.pk:
        return True
    orgs = member_organisation_ids(user)
    if application.sending_organisation_id in orgs:
        return True
    programme = application.programme
    return programme is not None and programme.coordinator_id in orgs


def can_answer_offer(user: AnyUser, offer: Offer) -> bool:
    """Accept or decline an offer: the volunteer, an administrator or officer of their sending
    organisation (for them), or platform staff; never the host that made it, nor a viewer."""
    if is_platform_staff(user):
        return True
    if not user.is_authenticated:
        return False
    application = offer.choice.application
    if application.volunteer.user_id == user.pk:
        return True
    return application.sending_organisation_id in member_organisation_ids(user, writable=True)


def can_manage_waiting_list(user: AnyUser, mission: Mission) -> bool:
    """Put candidates on a mission's waiting list and order it: the host's officers, staff."""
    return is_platform_staff(user) or mission.host_id in member_organisation_ids(user, writable=True)


def can_see_mission_applications(user: AnyUser, mission: Mission) -> bool:
    """The page of a mission's applications and waiting list: the host's members, staff."""
    return is_platform_staff(user) or mission.host_id in member_organisation_ids(user)
