"""Use-cases of running the network: organisations, their accreditations and affiliations
(docs/accounts.md, "Running the network"). The pages and the API call these same functions, so
they refuse the same things with the same messages; permissions are in partners/permissions.py.
Every write is recorded by the audit log (the models are in audit/registry.py)."""

import dataclasses
import datetime

from django.db.models import Q
from django.utils.translation import gettext as _

from reciprocity.accounts.selectors import AnyUser, is_platform_staff
from reciprocity.core.exceptions import NotAllowed
from reciprocity.core.l10n import format_day
from reciprocity.core.validation import ALL, Errors, saved
from reciprocity.partners.models import (
    Accreditation,
    Affiliation,
    AffiliationKind,
    LegalForm,
    Organisation,
)
from reciprocity.partners.permissions import (
    CONTACT_FIELDS,
    can_edit_contacts,
    can_grant_coordinator,
    can_manage_organisation,
    coordinator_ids,
    runs_the_network,
)
from reciprocity.partners.timezones import time_zone_names
from reciprocity.schemes.models import Scheme


def _refuse_organisation() -> NotAllowed:
    return NotAllowed(_("Only platform staff and the coordinators of its network can change this "
                        "organisation."), code="not_its_coordinator")


# --- organisations ----------------------------------------------------------------------------

@dataclasses.dataclass(frozen=True)
class OrganisationData:
    """Everything a person sets about an organisation (`exchange_code` "" means none)."""

    name: str
    country: str
    acronym: str = ""
    city: str = ""
    legal_form: str = LegalForm.ASSOCIATION
    is_coordinator: bool = False
    is_national_agency: bool = False
    is_host: bool = False
    is_sending: bool = False
    is_intermediary: bool = False
    contact_name: str = ""
    email: str = ""
    phone: str = ""
    website: str = ""
    address: str = ""
    exchange_code: str = ""
    time_zone: str = ""

    @classmethod
    def of(cls, organisation: Organisation) -> "OrganisationData":
        values = {f.name: getattr(organisation, f.name) for f in dataclasses.fields(cls)}
        values["country"] = str(organisation.country)
        values["exchange_code"] = organisation.exchange_code or ""
        return cls(**values)

    def cleaned(self) -> "OrganisationData":
        texts = {f.name: getattr(self, f.name).strip() for f in dataclasses.fields(self)
                 if isinstance(getattr(self, f.name), str)}
        texts["country"] = texts["country"].upper()
        texts["email"] = texts["email"].lower()
        return dataclasses.replace(self, **texts)


def _check_organisation(organisation: Organisation, data: OrganisationData) -> None:
    errors = Errors()
    errors.check_fields(organisation)
    if data.name and "country" not in errors and Organisation.objects.filter(
            name__iexact=data.name, country=data.country).exclude(pk=organisation.pk).exists():
        errors.add("name", _("An organisation of this country already has this name."))
    if data.exchange_code and Organisation.objects.filter(
            exchange_code__iexact=data.exchange_code).exclude(pk=organisation.pk).exists():
        errors.add("exchange_code", _("Another organisation already uses this exchange code."))
    if data.time_zone and data.time_zone not in time_zone_names():
        errors.add("time_zone", _("“%(zone)s” is not a time zone name (e.g. Africa/Abidjan).")
                   % {"zone": data.time_zone})
    errors.raise_if_any()


def _apply(organisation: Organisation, data: OrganisationData) -> None:
    for field in dataclasses.fields(data):
        setattr(organisation, field.name, getattr(data, field.name))
    # The column is unique and may not be empty: no code is NULL, never "".
    organisation.exchange_code = data.exchange_code or None


def organisation_create(*, by: AnyUser, data: OrganisationData, network: Organisation | None,
                        today: datetime.date) -> Organisation:
    """A new organisation. A coordinator writer names which of their coordinators' networks it
    joins (an affiliation "member of the network" from today), so they can run it afterwards;
    staff may leave it outside any network. Only staff create coordinators."""
    if not runs_the_network(by):
        raise NotAllowed(_("Only platform staff and coordinators create organisations."),
                         code="not_a_coordinator")
    data = data.cleaned()
    if data.is_coordinator and not can_grant_coordinator(by):
        raise NotAllowed(_("Only platform staff make an organisation a coordinator."),
                         code="coordinator_flag")
    if network is None and not is_platform_staff(by):
        raise NotAllowed(_("Choose the network the new organisation joins."), code="no_network")
    if network is not None and not is_platform_staff(by) and network.pk not in coordinator_ids(by):
        raise NotAllowed(_("You can add organisations to your own coordinator's network only."),
                         code="not_its_coordinator")
    organisation = Organisation()
    _apply(organisation, data)
    _check_organisation(organisation, data)
    with saved():
        organisation.save()
        if network is not None:
            Affiliation.objects.create(member=organisation, parent=network,
                                       kind=AffiliationKind.NETWORK_MEMBER, valid_from=today)
    return organisation


def organisation_update(*, by: AnyUser, organisation: Organisation, data: OrganisationData,
                        today: datetime.date) -> Organisation:
    """Change an organisation. What may change depends on who asks: its coordinators (and
    staff) everything but the coordinator flag (staff only); its own administrators the contact
    details only. Unchanged values need no right, so a form sent back as it was is fine."""
    data = data.cleaned()
    before = OrganisationData.of(organisation)
    changed = {f.name for f in dataclasses.fields(data)
               if getattr(before, f.name) != getattr(data, f.name)}
    if not changed:
        return organisation
    if changed <= set(CONTACT_FIELDS):
        if not can_edit_contacts(by, organisation, today=today):
            raise _refuse_organisation()
    elif not can_manage_organisation(by, organisation, today=today):
        raise _refuse_organisation()
    if "is_coordinator" in changed and not can_grant_coordinator(by):
        raise NotAllowed(_("Only platform staff make an organisation a coordinator or end it."),
                         code="coordinator_flag")
    with saved():
        organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
        _apply(organisation, data)
        _check_organisation(organisation, data)
        organisation.save()
    return organisation


# --- accreditations ---------------------------------------------------------------------------

@dataclasses.dataclass(frozen=True)
class AccreditationData:
    scheme: Scheme
    kind: str
    number: str
    authorised_volunteers: int
    valid_from: datetime.date
    valid_to: datetime.date
    issuer: str

    @classmethod
    def of(cls, accreditation: Accreditation) -> "AccreditationData":
        return cls(**{f.name: getattr(accreditation, f.name) for f in dataclasses.fields(cls)})


def _check_accreditation(accreditation: Accreditation) -> None:
    errors = Errors()
    accreditation.number = accreditation.number.strip()
    accreditation.issuer = accreditation.issuer.strip()
    errors.check_fields(accreditation, exclude=["organisation"])
    if accreditation.number and Accreditation.objects.filter(
            scheme_id=accreditation.scheme_id, number__iexact=accreditation.number,
    ).exclude(pk=accreditation.pk).exists():
        errors.add("number", _("This number is already recorded for an accreditation of this "
                               "scheme."))
    if (accreditation.valid_from and accreditation.valid_to
            and accreditation.valid_to < accreditation.valid_from):
        errors.add("valid_to", _("The end of validity comes before its start."))
    errors.raise_if_any()


def accreditation_create(*, by: AnyUser, organisation: Organisation, data: AccreditationData,
                         today: datetime.date) -> Accreditation:
    """Record an accreditation (agrément) of `organisation`: its coordinators and staff do."""
    if not can_manage_organisation(by, organisation, today=today):
        raise _refuse_organisation()
    accreditation = Accreditation(organisation=organisation, **dataclasses.asdict(data) | {
        "scheme": data.scheme})
    _check_accreditation(accreditation)
    with saved():
        accreditation.save()
    return accreditation


def accreditation_update(*, by: AnyUser, accreditation: Accreditation, data: AccreditationData,
                         today: datetime.date) -> Accreditation:
    if not can_manage_organisation(by, accreditation.organisation, today=today):
        raise _refuse_organisation()
    with saved():
        accreditation = Accreditation.objects.select_for_update().get(pk=accreditation.pk)
        for field in dataclasses.fields(data):
            setattr(accreditation, field.name, getattr(data, field.name))
        _check_accreditation(accreditation)
        accreditation.save()
    return accreditation


# --- affiliations -----------------------------------------------------------------------------

def can_manage_affiliation(user: AnyUser, *, parent: Organisation, member: Organisation,
                           today: datetime.date) -> bool:
    """Who records that `member` belongs to `parent`: staff, and the coordinators of `parent`
    (itself a coordinator or in one's network). Coordinators are linked by staff only: bringing
    another coordinator into one's network would give rights over it."""
    if is_platform_staff(user):
        return True
    return not member.is_coordinator and can_manage_organisation(user, parent, today=today)


def _check_affiliation(affiliation: Affiliation) -> None:
    errors = Errors()
    errors.check_fields(affiliation, exclude=["member", "parent"])
    if affiliation.member_id == affiliation.parent_id:
        errors.add("parent", _("An organisation cannot belong to itself: choose another one."))
    if (affiliation.valid_from and affiliation.valid_to
            and affiliation.valid_to < affiliation.valid_from):
        errors.add("valid_to", _("The end comes before the start."))
    if not errors.by_field:
        others = Affiliation.objects.filter(
            member_id=affiliation.member_id, parent_id=affiliation.parent_id,
            kind=affiliation.kind,
        ).exclude(pk=affiliation.pk)
        # Same member, parent and kind: the database forbids the same start; two periods that
        # overlap would say the same thing twice.
        overlapping = others.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=affiliation.valid_from))
        if affiliation.valid_to is not None:
            overlapping = overlapping.filter(valid_from__lte=affiliation.valid_to)
        if others.filter(valid_from=affiliation.valid_from).exists() or overlapping.exists():
            errors.add(ALL, _("This organisation already belongs to that one in this way for part "
                              "of this period: edit or end that affiliation instead."))
    errors.raise_if_any()


def _refuse_affiliation() -> NotAllowed:
    return NotAllowed(_("Only platform staff and the coordinators of the organisation it belongs "
                        "to can record this affiliation."), code="not_its_coordinator")


def affiliation_create(*, by: AnyUser, member: Organisation, parent: Organisation, kind: str,
                       valid_from: datetime.date, valid_to: datetime.date | None,
                       today: datetime.date) -> Affiliation:
    """`member` belongs to `parent` (a network, an accrediting intermediary) for a period."""
    if not can_manage_affiliation(by, parent=parent, member=member, today=today):
        raise _refuse_affiliation()
    affiliation = Affiliation(member=member, parent=parent, kind=kind, valid_from=valid_from,
                              valid_to=valid_to)
    with saved():
        # Locked so that two people adding the same affiliation at once cannot both pass the
        # overlap check.
        Organisation.objects.select_for_update().filter(pk=member.pk).first()
        _check_affiliation(affiliation)
        affiliation.save()
    return affiliation


def affiliation_update(*, by: AnyUser, affiliation: Affiliation, kind: str,
                       valid_from: datetime.date, valid_to: datetime.date | None,
                       today: datetime.date) -> Affiliation:
    """Correct an affiliation's kind or dates (member and parent stay: end it and record
    another instead)."""
    if not can_manage_affiliation(by, parent=affiliation.parent, member=affiliation.member,
                                  today=today):
        raise _refuse_affiliation()
    with saved():
        Organisation.objects.select_for_update().filter(pk=affiliation.member_id).first()
        affiliation = Affiliation.objects.select_for_update().get(pk=affiliation.pk)
        affiliation.kind, affiliation.valid_from, affiliation.valid_to = kind, valid_from, valid_to
        _check_affiliation(affiliation)
        affiliation.save()
    return affiliation


def affiliation_end(*, by: AnyUser, affiliation: Affiliation, on: datetime.date,
                    today: datetime.date) -> Affiliation:
    """The affiliation ends on `on` (its last day). Ending it again later is refused; an
    earlier date shortens it."""
    if not can_manage_affiliation(by, parent=affiliation.parent, member=affiliation.member,
                                  today=today):
        raise _refuse_affiliation()
    with saved():
        affiliation = Affiliation.objects.select_for_update().get(pk=affiliation.pk)
        errors = Errors()
        if on < affiliation.valid_from:
            errors.add("valid_to", _("The end comes before the start."))
        elif affiliation.valid_to is not None and affiliation.valid_to <= on:
            errors.add("valid_to", _("This affiliation already ends on %(day)s.")
                       % {"day": format_day(affiliation.valid_to)})
        errors.raise_if_any()
        affiliation.valid_to = on
        affiliation.save(update_fields=["valid_to", "updated_at"])
    return affiliation
