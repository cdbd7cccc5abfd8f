"""Who may move exchange files: platform staff, and the members of the organisations concerned.

- Import PEF: staff, or an officer/administrator of the organisation the file's header names
  (a host loading its own projects). Only staff may bring in an organisation still unknown.
- Import VEF: staff, or an officer/administrator of the sending organisation or of the host of
  one of the work camps chosen (the host that received the file).
- Export PEF / FPL: staff and any member of the organisation (no personal data in them).
- Export VEF: staff, members of the application's sending organisation, and members of the
  host of one of its choices (the people who see that application).
"""

from collections.abc import Callable

from reciprocity.accounts.models import MembershipRole
from reciprocity.accounts.selectors import (
    AnyUser,
    is_platform_staff,
    member_organisation_ids,
    memberships_of,
)
from reciprocity.applications.models import Application
from reciprocity.partners.models import Organisation

Allowed = Callable[[Organisation | None], bool]


def may_import(user: AnyUser) -> bool:
    """May the user use the import page at all (each record is then checked)?"""
    return is_platform_staff(user) or bool(member_organisation_ids(user, writable=True))


def import_permit(user: AnyUser) -> Allowed:
    """The check an import applies to each organisation it writes for (None: a new one)."""
    if is_platform_staff(user):
        return lambda organisation: True
    writable = member_organisation_ids(user, writable=True)
    return lambda organisation: organisation is not None and organisation.pk in writable


def can_export_organisation(user: AnyUser, organisation: Organisation) -> bool:
    return is_platform_staff(user) or organisation.pk in member_organisation_ids(user)


def can_export_application(user: AnyUser, application: Application) -> bool:
    if is_platform_staff(user):
        return True
    if not user.is_authenticated:
        return False
    orgs = member_organisation_ids(user)
    if application.sending_organisation_id in orgs:
        return True
    return application.choices.filter(mission__host_id__in=orgs).exists()


def can_set_exchange_code(user: AnyUser, organisation: Organisation) -> bool:
    """The organisation's administrators, and platform staff."""
    if is_platform_staff(user):
        return True
    return memberships_of(user).filter(
        organisation=organisation, role=MembershipRole.ADMIN
    ).exists()
