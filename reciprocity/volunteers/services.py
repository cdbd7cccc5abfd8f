"""Use-cases on volunteers' personal data: the access log, and the volunteers' own part of the
anonymisation (the record, the account, the uploaded documents). The export of one person's data
and the anonymisation across every app are orchestrated one layer up, in
reciprocity/workflow/personal_data.py (docs/data-protection.md)."""

import secrets
from collections.abc import Iterable
from datetime import date, datetime

from django.utils.translation import gettext as _

from reciprocity.accounts.models import Membership, User
from reciprocity.accounts.selectors import AnyUser
from reciprocity.core.exceptions import ApplicationError
from reciprocity.core.uploads import files_delete_after_commit
from reciprocity.volunteers.models import (
    AccessAction,
    AccessChannel,
    PersonalDataAccess,
    PersonalDataBulkAccess,
    Volunteer,
    VolunteerDocument,
)

ANONYMOUS_PREFIX = "ANON-"


def _check_kind(action: str, channel: str, actions: list[str]) -> None:
    if action not in actions or channel not in AccessChannel.values:
        raise ApplicationError(_("Unknown access kind."), code="invalid_access",
                               details={"action": action, "channel": channel})


def personal_data_access_record(
    *, volunteer: Volunteer, actor: AnyUser | None, action: str, channel: str, detail: str = ""
) -> PersonalDataAccess:
    """Write one row of the access log. `actor` None (or anonymous) means a command did it."""
    _check_kind(action, channel, AccessAction.values)
    user = actor if actor is not None and actor.is_authenticated else None
    return PersonalDataAccess.objects.create(
        volunteer=volunteer, actor=user, action=action, channel=channel, detail=detail[:300]
    )


def personal_data_bulk_access_record(
    *, volunteer_ids: Iterable[int], actor: AnyUser | None, action: str, channel: str,
    source: str,
) -> PersonalDataBulkAccess | None:
    """One row for a read of many people at once (an export, a page of a list), with how many
    people were in it and who. Nothing is written when nobody was in it."""
    _check_kind(action, channel, [AccessAction.LIST, AccessAction.EXPORT])
    ids = sorted({int(pk) for pk in volunteer_ids})
    if not ids:
        return None
    user = actor if actor is not None and actor.is_authenticated else None
    return PersonalDataBulkAccess.objects.create(
        actor=user, action=action, channel=channel, source=source[:500], persons=len(ids),
        volunteer_ids=ids,
    )


# --- Anonymisation after the retention period ------------------------------------------------


def is_anonymised(volunteer: Volunteer) -> bool:
    return volunteer.anonymised_at is not None


def _new_reference() -> str:
    while True:
        reference = ANONYMOUS_PREFIX + secrets.token_hex(8).upper()
        if not Volunteer.objects.filter(reference=reference).exists():
            return reference


def _retire_account(user: User, reference: str) -> None:
    """Deactivate the volunteer's own account and strip who it was. An account that also works
    for an organisation (or for the platform) stays usable: only the link to the record goes.
    (Its notifications go with the other apps' rows: workflow/personal_data.py.)"""
    if user.is_staff or user.is_superuser or Membership.objects.filter(user=user).exists():
        return
    user.is_active = False
    user.set_unusable_password()
    user.username = reference.lower()
    user.email = ""
    user.first_name = ""
    user.last_name = ""
    user.save(update_fields=["is_active", "password", "username", "email", "first_name",
                             "last_name"])


def volunteer_documents_anonymise(*, volunteer_id: int) -> int:
    """The CV and passport scan the volunteer uploaded on their profile (documents.py): rows
    now, files after commit (a rollback must not leave rows pointing at deleted files)."""
    own = list(VolunteerDocument.objects.filter(volunteer_id=volunteer_id))
    VolunteerDocument.objects.filter(pk__in=[d.pk for d in own]).delete()
    files_delete_after_commit(d.file for d in own)
    return len(own)


def volunteer_anonymisation_birth_date(volunteer: Volunteer) -> date | None:
    """What the record keeps of the birth date: the year (1 July), for the statistics."""
    return date(volunteer.birth_date.year, 7, 1) if volunteer.birth_date else None


def volunteer_anonymise_record(
    *, volunteer: Volunteer, actor: User | None, channel: str, birth_date: date | None,
    now: datetime,
) -> None:
    """Erase the identity on the record itself (and retire the volunteer's own account),
    keeping what statistics count (gender, nationality, country of residence, birth year).
    Called by the orchestrator (workflow/personal_data.py `volunteer_anonymise`) after every
    app has erased its rows, inside the same transaction."""
    reference = _new_reference()
    if volunteer.user is not None:
        _retire_account(volunteer.user, reference)
    volunteer.reference = reference
    volunteer.first_name = volunteer.last_name = volunteer.email = volunteer.phone = ""
    volunteer.birth_date = birth_date
    volunteer.other_nationalities = []
    volunteer.languages = []
    volunteer.id_document_kind = ""
    volunteer.id_document_number = ""
    volunteer.id_document_expiry = None
    volunteer.user = None
    volunteer.anonymised_at = now
    volunteer.save()
    personal_data_access_record(
        volunteer=volunteer, actor=actor, action=AccessAction.ANONYMISE, channel=channel
    )
