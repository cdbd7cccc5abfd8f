"""Use-cases of agreements and programmes, written in pages and through the API alike
(docs/accounts.md, "Running the network"). Every write is recorded by the audit log
(`Agreement` and `Programme` are in audit/registry.py, their schemes too).

Who may:
- an agreement: platform staff, and the coordinator writers (partners/permissions.py) of one of
  its parties: their coordinator or an organisation of its network. Editing needs the right on
  the agreement as it is and as it becomes, so nobody moves an agreement out of their reach.
- a programme: platform staff, and the coordinator writers of its coordinator organisation.
"""

import dataclasses
import datetime

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django_countries import countries

from reciprocity.accounts.selectors import AnyUser, is_platform_staff
from reciprocity.agreements.models import (
    Agreement,
    AgreementStatus,
    AgreementYearQuota,
    Programme,
    QuotaUnit,
)
from reciprocity.core.exceptions import NotAllowed
from reciprocity.core.validation import Errors, saved
from reciprocity.partners.models import Organisation
from reciprocity.partners.permissions import coordinator_ids, managed_ids, runs_the_network
from reciprocity.schemes.models import Scheme

# --- permissions ------------------------------------------------------------------------------


def may_write_between(user: AnyUser, party_ids: tuple[int | None, int | None], *,
                      today: datetime.date) -> bool:
    if is_platform_staff(user):
        return True
    return bool(managed_ids(user, today=today) & {p for p in party_ids if p is not None})


def can_manage_agreement(user: AnyUser, agreement: Agreement, *, today: datetime.date) -> bool:
    return may_write_between(user, (agreement.party_a_id, agreement.party_b_id), today=today)


def can_manage_programme(user: AnyUser, programme: Programme) -> bool:
    return is_platform_staff(user) or programme.coordinator_id in coordinator_ids(user)


def programme_coordinators(user: AnyUser) -> QuerySet[Organisation]:
    """The organisations a user may name as a programme's coordinator."""
    qs = Organisation.objects.order_by("name")
    if not is_platform_staff(user):
        qs = qs.filter(pk__in=coordinator_ids(user))
    return qs


# --- agreements -------------------------------------------------------------------------------

@dataclasses.dataclass(frozen=True)
class AgreementData:
    reference: str
    title: str
    party_a: Organisation
    party_b: Organisation
    schemes: tuple[Scheme, ...]
    start_date: datetime.date
    end_date: datetime.date
    quota_a_to_b: int
    quota_b_to_a: int
    tolerance: int
    programme: Programme | None = None
    unit: str = QuotaUnit.VOLUNTEERS
    tolerance_strict: bool = False
    status: str = AgreementStatus.DRAFT

    @classmethod
    def of(cls, agreement: Agreement) -> "AgreementData":
        values = {f.name: getattr(agreement, f.name) for f in dataclasses.fields(cls)
                  if f.name != "schemes"}
        return cls(schemes=tuple(agreement.schemes.order_by("code")), **values)


def _check_agreement(agreement: Agreement, schemes: tuple[Scheme, ...]) -> None:
    errors = Errors()
    agreement.reference = agreement.reference.strip()
    agreement.title = agreement.title.strip()
    errors.check_fields(agreement, exclude=["party_a", "party_b", "programme"])
    if agreement.reference and "reference" not in errors and Agreement.objects.filter(
            reference__iexact=agreement.reference).exclude(pk=agreement.pk).exists():
        errors.add("reference", _("Another agreement already has this reference."))
    if agreement.party_a_id == agreement.party_b_id:
        errors.add("party_b", _("The two parties must be different organisations."))
    if agreement.start_date and agreement.end_date and agreement.end_date < agreement.start_date:
        errors.add("end_date", _("The end comes before the start."))
    if not schemes:
        # Not a database rule, but an agreement of no scheme would cover no placement.
        errors.add("schemes", _("Choose at least one scheme."))
    errors.raise_if_any()


def _refuse_agreement() -> NotAllowed:
    return NotAllowed(_("Only platform staff and the coordinators of one of its parties can "
                        "write this agreement."), code="not_a_party_coordinator")


def agreement_create(*, by: AnyUser, data: AgreementData, today: datetime.date) -> Agreement:
    """A new agreement between two organisations, one of which the author runs."""
    if not runs_the_network(by) or not may_write_between(
            by, (data.party_a.pk, data.party_b.pk), today=today):
        raise _refuse_agreement()
    agreement = Agreement(**{f.name: getattr(data, f.name) for f in dataclasses.fields(data)
                             if f.name != "schemes"})
    _check_agreement(agreement, data.schemes)
    with saved():
        agreement.save()
        agreement.schemes.set(data.schemes)
    return agreement


def agreement_update(*, by: AnyUser, agreement: Agreement, data: AgreementData,
                     today: datetime.date) -> Agreement:
    """Change an agreement: quotas, tolerance, status, dates, even its parties (within reach)."""
    if not can_manage_agreement(by, agreement, today=today) or not may_write_between(
            by, (data.party_a.pk, data.party_b.pk), today=today):
        raise _refuse_agreement()
    with saved():
        agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
        for field in dataclasses.fields(data):
            if field.name != "schemes":
                setattr(agreement, field.name, getattr(data, field.name))
        _check_agreement(agreement, data.schemes)
        agreement.save()
        if set(agreement.schemes.all()) != set(data.schemes):
            agreement.schemes.set(data.schemes)
    return agreement


def agreement_year_quota_set(*, agreement: Agreement, year: int, quota_a_to_b: int,
                             quota_b_to_a: int, actor: AnyUser | None, note: str = ""
                             ) -> AgreementYearQuota:
    """Give `agreement` these quotas for `year` (replacing its own for that year only).

    The caller holds the agreement's row lock and has checked the rights: a quota scenario
    applied by its coordinator (planning.services.scenario_apply) is today's one writer."""
    if not agreement.start_date.year <= year <= agreement.end_date.year:
        raise NotAllowed(_("The agreement does not run in %(year)d.") % {"year": year},
                         code="year_outside_agreement")
    errors = Errors()
    for field, value in (("quota_a_to_b", quota_a_to_b), ("quota_b_to_a", quota_b_to_a)):
        if value < 0:
            errors.add(field, _("A quota cannot be negative."))
    errors.raise_if_any()
    set_by = actor if actor is not None and actor.is_authenticated else None
    with saved():
        row, _created = AgreementYearQuota.objects.update_or_create(
            agreement=agreement, year=year,
            defaults={"quota_a_to_b": quota_a_to_b, "quota_b_to_a": quota_b_to_a,
                      "set_by": set_by, "note": note[:200]})
    return row


# --- programmes -------------------------------------------------------------------------------

@dataclasses.dataclass(frozen=True)
class ProgrammeData:
    code: str
    name: str
    coordinator: Organisation
    start_date: datetime.date
    end_date: datetime.date | None = None
    description: str = ""
    countries: tuple[str, ...] = ()
    schemes: tuple[Scheme, ...] = ()

    @classmethod
    def of(cls, programme: Programme) -> "ProgrammeData":
        return cls(code=programme.code, name=programme.name, coordinator=programme.coordinator,
                   start_date=programme.start_date, end_date=programme.end_date,
                   description=programme.description, countries=tuple(programme.countries),
                   schemes=tuple(programme.schemes.order_by("code")))


def _check_programme(programme: Programme) -> None:
    errors = Errors()
    programme.code = programme.code.strip()
    programme.name = programme.name.strip()
    errors.check_fields(programme, exclude=["coordinator", "countries"])
    if programme.code and "code" not in errors and Programme.objects.filter(
            code__iexact=programme.code).exclude(pk=programme.pk).exists():
        errors.add("code", _("Another programme already has this code."))
    if programme.start_date and programme.end_date and programme.end_date < programme.start_date:
        errors.add("end_date", _("The end comes before the start."))
    unknown = [code for code in programme.countries if code not in countries]
    if unknown:
        errors.add("countries", _("Unknown country codes: %(codes)s.") % {
            "codes": ", ".join(unknown)})
    errors.raise_if_any()


def _programme_fields(data: ProgrammeData) -> dict[str, object]:
    codes = sorted({code.strip().upper() for code in data.countries if code.strip()})
    return {"code": data.code, "name": data.name, "coordinator": data.coordinator,
            "start_date": data.start_date, "end_date": data.end_date,
            "description": data.description.strip(), "countries": codes}


def _refuse_programme() -> NotAllowed:
    return NotAllowed(_("Only platform staff and the programme's coordinator can write it."),
                      code="not_its_coordinator")


def programme_create(*, by: AnyUser, data: ProgrammeData) -> Programme:
    if not is_platform_staff(by) and data.coordinator.pk not in coordinator_ids(by):
        raise _refuse_programme()
    programme = Programme(**_programme_fields(data))
    _check_programme(programme)
    with saved():
        programme.save()
        programme.schemes.set(data.schemes)
    return programme


def programme_update(*, by: AnyUser, programme: Programme, data: ProgrammeData) -> Programme:
    if not can_manage_programme(by, programme) or (
            not is_platform_staff(by) and data.coordinator.pk not in coordinator_ids(by)):
        raise _refuse_programme()
    with saved():
        programme = Programme.objects.select_for_update().get(pk=programme.pk)
        for name, value in _programme_fields(data).items():
            setattr(programme, name, value)
        _check_programme(programme)
        programme.save()
        if set(programme.schemes.all()) != set(data.schemes):
            programme.schemes.set(data.schemes)
    return programme
