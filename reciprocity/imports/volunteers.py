"""The volunteers format (docs/import-format.md, "Volunteers"): check every row, then write.

A volunteer is identified by `volunteer_ref` (`Volunteer.reference`, unique on the platform):
importing the same file again leaves every volunteer unchanged. A sending organisation imports
its own volunteers only: a reference already held by another organisation's volunteer is
refused (without saying whose), and an anonymised volunteer is never filled in again."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from reciprocity.imports import cells
from reciprocity.imports.cells import Checked
from reciprocity.imports.missions import Counts, Progress
from reciprocity.imports.permissions import Permit
from reciprocity.partners.models import Organisation
from reciprocity.volunteers.models import Gender, Volunteer

COLUMNS = [
    "volunteer_ref", "sending_org", "sending_country", "first_name", "last_name", "email",
    "phone", "birth_date", "gender", "nationality", "residence_country",
]
REQUIRED = ["volunteer_ref", "sending_org", "sending_country", "gender", "nationality",
            "residence_country"]
TEXT_LIMITS = {"volunteer_ref": 60, "sending_org": 200, "first_name": 100, "last_name": 100,
               "phone": 40}
COMPARED = ["first_name", "last_name", "email", "phone", "birth_date", "gender", "nationality",
            "residence_country", "sending_organisation_id"]


@dataclass
class VolunteerRow:
    line: int
    reference: str
    sender: Organisation
    fields: dict[str, Any]


def _senders() -> dict[tuple[str, str], Organisation]:
    senders: dict[tuple[str, str], Organisation] = {}
    qs = Organisation.objects.filter(is_sending=True) | Organisation.objects.filter(
        is_national_agency=True)
    for org in qs.order_by("-pk"):
        senders[(org.name.casefold(), str(org.country))] = org
    return senders


def existing_volunteers(references: set[str], *, lock: bool = False) -> dict[str, Volunteer]:
    refs = sorted(references)
    found: dict[str, Volunteer] = {}
    for i in range(0, len(refs), 500):
        qs = Volunteer.objects.filter(reference__in=refs[i:i + 500])
        if lock:
            qs = qs.select_for_update()
        found.update({v.reference: v for v in qs})
    return found


def _stored(volunteer: Volunteer, name: str) -> Any:
    value = getattr(volunteer, name)
    return str(value) if name in ("nationality", "residence_country") else value


def _changes(volunteer: Volunteer, fields: dict[str, Any]) -> list[str]:
    return [name for name in COMPARED if _stored(volunteer, name) != fields[name]]


def _parse(row: Any, *, senders: dict[tuple[str, str], Organisation], allowed: Permit,
           today: date, reasons: list[str], warnings: list[tuple[int, str]]
           ) -> VolunteerRow | None:
    """One row as a volunteer, or None with the reasons (every one) why it is not."""
    values, line = row.values, row.line
    cells.required(values, REQUIRED, reasons)

    texts = {column: cells.free_text(values, column, line=line, limit=limit,
                                     reasons=reasons, warnings=warnings)
             for column, limit in TEXT_LIMITS.items()}
    reference, sender_name = texts["volunteer_ref"], texts["sending_org"]
    sender_country = cells.country(values, "sending_country", reasons)
    first_name, last_name, phone = texts["first_name"], texts["last_name"], texts["phone"]
    email = cells.text(values, "email")
    if email:
        try:
            validate_email(email)
        except ValidationError:
            reasons.append(_("email %(value)r is not an e-mail address") % {"value": email[:80]})
    birth = cells.iso_date(values, "birth_date", reasons)
    if birth is not None and birth >= today:
        reasons.append(_("birth_date is not in the past"))
    gender = cells.choice(values, "gender", Gender.values, reasons, upper=True)
    nationality = cells.country(values, "nationality", reasons)
    residence = cells.country(values, "residence_country", reasons)
    sender = senders.get((sender_name.casefold(), sender_country))
    if sender_name and sender_country and sender is None:
        reasons.append(_("sending_org %(name)r (%(country)s) is not a sending organisation "
                         "of the platform") % {"name": sender_name[:80], "country": sender_country})
    elif sender is not None and not allowed(sender):
        reasons.append(_("you may not import volunteers for %(name)s") % {"name": sender.name})
    if reasons or sender is None:
        return None
    fields = {"first_name": first_name, "last_name": last_name, "email": email,
              "phone": phone, "birth_date": birth, "gender": gender,
              "nationality": nationality, "residence_country": residence,
              "sending_organisation_id": sender.pk}
    return VolunteerRow(line=line, reference=reference, sender=sender, fields=fields)


def check_volunteers(rows: list[Any], *, allowed: Permit, today: date
                     ) -> Checked:
    checked = Checked()
    senders = _senders()
    candidates: list[VolunteerRow] = []
    seen: dict[str, tuple[int, dict[str, Any]]] = {}
    for row in rows:
        reasons: list[str] = []
        warnings: list[tuple[int, str]] = []
        candidate = _parse(row, senders=senders, allowed=allowed, today=today, reasons=reasons,
                           warnings=warnings)
        if candidate is None:
            checked.errors.append((row.line, "; ".join(reasons)))
            continue
        line, reference, fields = row.line, candidate.reference, candidate.fields
        if reference in seen:
            first, first_fields = seen[reference]
            if first_fields == fields:
                checked.warnings.append((line, _("repeats line %(line)d; imported once")
                                         % {"line": first}))
            else:
                checked.errors.append((line, _("same volunteer_ref as line %(line)d, with "
                                                "different values") % {"line": first}))
            continue
        seen[reference] = (line, fields)
        checked.warnings.extend(warnings)
        candidates.append(candidate)
    existing = existing_volunteers({c.reference for c in candidates})
    for candidate in candidates:
        volunteer = existing.get(candidate.reference)
        if volunteer is None:
            checked.rows.append(candidate)
        elif volunteer.sending_organisation_id != candidate.sender.pk and not _may_take(
                allowed, volunteer):
            # Whose volunteer it is stays unsaid: the reference may be anyone's.
            checked.errors.append((candidate.line, _("volunteer_ref %(ref)r is already used by "
                                                     "a volunteer you may not change")
                                   % {"ref": candidate.reference}))
        elif volunteer.anonymised_at is not None:
            checked.errors.append((candidate.line, _("volunteer_ref %(ref)r belongs to an "
                                                     "anonymised volunteer, who is not filled in "
                                                     "again") % {"ref": candidate.reference}))
        else:
            checked.rows.append(candidate)
    checked.errors.sort()
    checked.warnings.sort()
    return checked


def _may_take(allowed: Permit, volunteer: Volunteer) -> bool:
    """May the importer change a volunteer held by another organisation (or by none)?"""
    sender = volunteer.sending_organisation
    return allowed.everything if sender is None else allowed(sender)


def volunteers_write(*, rows: list[VolunteerRow], progress: Progress) -> Counts:
    """Create or bring up to date every volunteer of `rows` (valid rows of
    `check_volunteers`); the caller holds the transaction. `save()` per row for the audit log."""
    counts = Counts()
    existing = existing_volunteers({row.reference for row in rows}, lock=True)
    for done, row in enumerate(rows, start=1):
        volunteer = existing.get(row.reference)
        if volunteer is None:
            Volunteer.objects.create(reference=row.reference, **row.fields)
            counts.created += 1
        else:
            changed = _changes(volunteer, row.fields)
            if changed:
                for name in changed:
                    setattr(volunteer, name, row.fields[name])
                volunteer.save(update_fields=[*changed, "updated_at"])
                counts.updated += 1
            else:
                counts.unchanged += 1
        if done % 200 == 0:
            progress(done)
    progress(len(rows))
    return counts
