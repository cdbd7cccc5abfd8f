"""Who may do what with a volunteer's personal data beyond seeing the record (selectors.py).

Seeing a record follows the organisation rules of `volunteers_visible_to`. Taking a copy of
everything (the export) is narrower: it is the person's own right of access, so only the
volunteer themself and platform staff (who answer the requests) may download it. A member of
the sending organisation, even its admin, may not: the export gathers what other organisations
wrote (host decisions, evaluations, uploaded papers) that the sender does not otherwise see.
"""

from reciprocity.accounts.selectors import AnyUser, is_platform_staff
from reciprocity.volunteers.models import Volunteer


def is_the_volunteer(user: AnyUser, volunteer: Volunteer) -> bool:
    return bool(user.is_authenticated and volunteer.user_id is not None
                and volunteer.user_id == user.pk)


def can_export(user: AnyUser, volunteer: Volunteer) -> bool:
    return is_platform_staff(user) or is_the_volunteer(user, volunteer)


def can_read_document_number(user: AnyUser, volunteer: Volunteer) -> bool:
    """The identity-document number in clear: staff and the person only; others see it masked."""
    return is_platform_staff(user) or is_the_volunteer(user, volunteer)


def can_see_access_log(user: AnyUser) -> bool:
    return is_platform_staff(user)


def can_anonymise(user: AnyUser) -> bool:
    return is_platform_staff(user)
