"""Import of past exchanges from spreadsheets (CSV or XLSX): read, validate every row, write.

The format is documented in docs/import-format.md. Reading and validation write nothing; the
write step (`placements_import`) runs only when every row is valid, in one transaction, so a
file with one bad row leaves the database as it was. A placement is identified by
(volunteer_ref, host_org, start_date): importing the same file again changes nothing.
"""

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Count, F, Q
from django.utils.translation import gettext as _
from django_countries import countries

from reciprocity.agreements.coverage import CoverageIndex
from reciprocity.agreements.models import Agreement
from reciprocity.balance.services import ledger_sync_placements
from reciprocity.core.spreadsheets import is_formula_like, neutralise_text
from reciprocity.domain.dates import age_on, months_between
from reciprocity.missions.models import Mission, MissionStatus, Theme
from reciprocity.partners.models import Organisation
from reciprocity.placements.models import Placement, PlacementStatus
from reciprocity.procedures.models import VISA_STEP_CODE, VisaOutcome, VisaRefusalGround
from reciprocity.procedures.visas import VisaFacts, visa_outcome_errors
from reciprocity.schemes.models import Scheme, SchemeRule
from reciprocity.schemes.services import DATA_DIR as SCHEME_DATA_DIR
from reciprocity.volunteers.models import Volunteer

COLUMNS = [
    "volunteer_ref", "birth_date", "gender", "nationality", "residence_country", "scheme",
    "sending_org", "sending_country", "host_org", "host_country", "mission_title", "start_date",
    "end_date", "status", "end_reason", "agreement_ref",
    # The visa application's outcome (procedures.VisaOutcome), all optional.
    "visa_application_date", "visa_appointment_date", "visa_decision", "visa_decision_date",
    "visa_refusal_ground",
]
VISA_COLUMNS = ["visa_application_date", "visa_appointment_date", "visa_decision",
                "visa_decision_date", "visa_refusal_ground"]
OPTIONAL = {"end_reason", "agreement_ref", *VISA_COLUMNS}
REQUIRED = [c for c in COLUMNS if c not in OPTIONAL]
STATUSES = ["confirmed", "in_mission", "completed", "cancelled", "interrupted"]
GENDERS = ["F", "M", "X"]
COUNTRY_COLUMNS = ["nationality", "residence_country", "sending_country", "host_country"]
DATE_COLUMNS = ["birth_date", "start_date", "end_date", "visa_application_date",
                "visa_appointment_date", "visa_decision_date"]
MAX_LENGTHS = {"volunteer_ref": 60, "sending_org": 200, "host_org": 200, "mission_title": 200}
# The columns of free text, stored as given. A value a spreadsheet would run as a formula is
# stored with a quote in front (and said in a warning): the other columns are checked against
# codes, dates and lists, so a formula there is an error anyway.
FREE_TEXT_COLUMNS = ["volunteer_ref", "sending_org", "host_org", "mission_title", "end_reason",
                     "agreement_ref"]


class FileUnreadable(Exception):
    """The file as a whole cannot be read (format, encoding, header): one reason, with the line
    where it shows, or None when the file is not a spreadsheet at all."""

    def __init__(self, line: int | None, reason: str) -> None:
        super().__init__(reason)
        self.line = line
        self.reason = reason


@dataclass
class Row:
    line: int
    values: dict[str, Any]


@dataclass
class ValidRow:
    line: int
    volunteer_ref: str
    birth_date: date
    gender: str
    nationality: str
    residence_country: str
    scheme: str
    sending_org: str
    sending_country: str
    host_org: str
    host_country: str
    mission_title: str
    start_date: date
    end_date: date
    status: str
    end_reason: str
    agreement_ref: str
    # None when the row's visa columns are all empty: a recorded outcome is then left as it is.
    visa: VisaFacts | None = None

    @property
    def key(self) -> tuple[str, str, str, date]:
        return (self.volunteer_ref, self.host_org, self.host_country, self.start_date)


@dataclass
class Checked:
    rows: list[ValidRow] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)
    warnings: list[tuple[int, str]] = field(default_factory=list)


# --- validation -------------------------------------------------------------------------------

def _text(values: dict[str, Any], column: str) -> str:
    value = values.get(column)
    return "" if value is None else str(value).strip()


def _date(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        return None


def _column_values(text: dict[str, str], values: dict[str, Any], known_countries: set[str],
                   schemes: set[str]) -> tuple[dict[str, date | None], dict[str, str], list[str]]:
    """One row's dates and country codes, and the reasons its columns are refused one by one
    (dates, gender, countries, scheme, status); check_rows adds those between columns."""
    reasons: list[str] = []
    dates: dict[str, date | None] = {}
    for column in DATE_COLUMNS:
        dates[column] = _date(values.get(column)) if text[column] else None
        if text[column] and dates[column] is None:
            reasons.append(_("%(column)s %(value)r is not an ISO date (YYYY-MM-DD)") % {"column": column, "value": text[column]})
    if text["gender"] and text["gender"].upper() not in GENDERS:
        reasons.append(_("gender %(value)r is not one of F, M, X") % {"value": text["gender"]})
    codes: dict[str, str] = {}
    for column in COUNTRY_COLUMNS:
        codes[column] = text[column].upper()
        if text[column] and codes[column] not in known_countries:
            reasons.append(_("%(column)s %(value)r is not an ISO 3166-1 alpha-2 code") % {"column": column, "value": text[column]})
    if text["scheme"] and text["scheme"].lower() not in schemes:
        reasons.append(_("scheme %(value)r is not one of %(allowed)s") % {"value": text["scheme"], "allowed": ", ".join(sorted(schemes))})
    if text["status"] and text["status"].lower() not in STATUSES:
        reasons.append(_("status %(value)r is not one of %(allowed)s") % {"value": text["status"], "allowed": ", ".join(STATUSES)})
    return dates, codes, reasons


def _visa_of(text: dict[str, str], dates: dict[str, date | None]) -> VisaFacts | None:
    """The row's visa outcome, or None when all its visa columns are empty."""
    if not any(text[column] for column in VISA_COLUMNS):
        return None
    return VisaFacts(
        application_date=dates["visa_application_date"],
        appointment_date=dates["visa_appointment_date"],
        decision=text["visa_decision"].lower(),
        decision_date=dates["visa_decision_date"],
        refusal_ground=text["visa_refusal_ground"].lower(),
    )


def check_rows(rows: list[Row], *, today: date | None = None) -> Checked:
    """Validate every row; collect every reason, never stop at the first. With `today`, visa
    dates after it are refused too."""
    checked = Checked()
    grounds = set(VisaRefusalGround.objects.values_list("code", flat=True))
    schemes = set(Scheme.objects.values_list("code", flat=True))
    known_countries = set(dict(countries))
    seen: dict[tuple[str, str, str, date], tuple[int, dict[str, str]]] = {}
    repeated: list[tuple[int, str]] = []
    neutralised: list[tuple[int, str]] = []
    for row in rows:
        reasons: list[str] = []
        values = row.values
        text = {column: _text(values, column) for column in COLUMNS}
        for column in FREE_TEXT_COLUMNS:
            if is_formula_like(text[column]):
                text[column] = neutralise_text(text[column])
                neutralised.append((row.line, _(
                    "%(column)s starts with %(sign)r, which a spreadsheet would run as a "
                    "formula; imported as text, with a quote in front"
                ) % {"column": column, "sign": text[column][1]}))
        for column in REQUIRED:
            if not text[column]:
                reasons.append(_("%(column)s is empty") % {"column": column})
        for column, limit in MAX_LENGTHS.items():
            if len(text[column]) > limit:
                reasons.append(_("%(column)s is longer than %(limit)d characters") % {"column": column, "limit": limit})
        dates, codes, column_reasons = _column_values(text, values, known_countries, schemes)
        reasons += column_reasons
        gender, scheme, status = (text["gender"].upper(), text["scheme"].lower(),
                                  text["status"].lower())
        start, end, birth = dates["start_date"], dates["end_date"], dates["birth_date"]
        visa = _visa_of(text, dates)
        if visa is not None:
            reasons += [f"visa: {reason}" for reason in visa_outcome_errors(
                visa, today=today or date.max, grounds=grounds)]
        if start and end and end < start:
            reasons.append(_("end_date is before start_date"))
        if birth and start and birth >= start:
            reasons.append(_("birth_date is not before start_date"))
        if not reasons and start is not None:
            # The same placement twice: harmless when the rows agree (imported once), an error
            # when they do not (which one is true?).
            key = (text["volunteer_ref"], text["host_org"].casefold(), codes["host_country"], start)
            if key not in seen:
                seen[key] = (row.line, text)
            elif seen[key][1] == text:
                repeated.append((row.line, _("repeats line %(line)d; imported once") % {"line": seen[key][0]}))
                continue
            else:
                reasons.append(_("same volunteer_ref, host_org and start_date as line %(line)d, "
                                 "with different values") % {"line": seen[key][0]})
        if reasons:
            checked.errors.append((row.line, "; ".join(reasons)))
            continue
        assert start and end and birth
        checked.rows.append(ValidRow(
            line=row.line, volunteer_ref=text["volunteer_ref"], birth_date=birth, gender=gender,
            nationality=codes["nationality"], residence_country=codes["residence_country"],
            scheme=scheme, sending_org=text["sending_org"],
            sending_country=codes["sending_country"], host_org=text["host_org"],
            host_country=codes["host_country"], mission_title=text["mission_title"],
            start_date=start, end_date=end, status=status, end_reason=text["end_reason"],
            agreement_ref=text["agreement_ref"], visa=visa,
        ))
    if not checked.errors:
        checked.warnings = sorted(repeated + neutralised + rule_warnings(checked.rows))
    return checked


def _rules_in_force(scheme: str, on: date, seeded: set[str]) -> dict[str, Any]:
    """The scheme's parameters at a date: the database's rows (staff may have edited them), or
    the files shipped with the code when `reciprocity rules load` has not run yet."""
    if scheme in seeded:
        rules = SchemeRule.objects.in_force(scheme_code=scheme, on=on)
        return {key: rule.value for key, rule in rules.items()}
    path = SCHEME_DATA_DIR / f"{scheme}.json"
    if not path.is_file():
        return {}
    values: dict[str, Any] = {}
    rows = json.loads(path.read_text(encoding="utf-8")).get("rules", [])
    for rule in sorted(rows, key=lambda r: r["effective_from"]):
        if date.fromisoformat(rule["effective_from"]) <= on:
            values[rule["key"]] = rule["value"]
    return values


def rule_warnings(rows: list[ValidRow]) -> list[tuple[int, str]]:
    """Breaks of the scheme rules in force at the start: imported anyway (the past is what it
    was), but said, so that a typo in a date is noticed."""
    warnings: list[tuple[int, str]] = []
    cache: dict[tuple[str, date], dict[str, Any]] = {}
    known_refs = set(Agreement.objects.values_list("reference", flat=True))
    seeded = set(SchemeRule.objects.values_list("scheme_id", flat=True).distinct())
    for row in rows:
        value = cache.get((row.scheme, row.start_date))
        if value is None:
            value = _rules_in_force(row.scheme, row.start_date, seeded)
            cache[(row.scheme, row.start_date)] = value
        age = age_on(row.birth_date, row.start_date)
        if isinstance(value.get("age_min"), int) and age < value["age_min"]:
            warnings.append((row.line, _("age %(age)d at the start is below the scheme's minimum "
                                         "of %(limit)s") % {"age": age, "limit": value["age_min"]}))
        if isinstance(value.get("age_max"), int) and age > value["age_max"]:
            warnings.append((row.line, _("age %(age)d at the start is above the scheme's maximum "
                                         "of %(limit)s") % {"age": age, "limit": value["age_max"]}))
        months = months_between(row.start_date, row.end_date)
        if row.status not in ("interrupted", "cancelled"):
            low = value.get("duration_min_months")
            if isinstance(low, int) and months < low:
                warnings.append((row.line, _("duration of %(months)s months is below the scheme's "
                                             "minimum of %(limit)s") % {"months": months, "limit": low}))
        high = value.get("duration_max_months")
        if isinstance(high, int) and months > high:
            warnings.append((row.line, _("duration of %(months)s months is above the scheme's "
                                         "maximum of %(limit)s") % {"months": months, "limit": high}))
        if row.agreement_ref and row.agreement_ref not in known_refs:
            warnings.append((row.line, _("agreement %(ref)r is unknown; the placement is "
                                         "imported without an agreement") % {"ref": row.agreement_ref}))
    return warnings


# --- writing ----------------------------------------------------------------------------------

@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    organisations_created: int = 0
    missions_created: int = 0
    volunteers_created: int = 0
    ledger_entries: int = 0
    visa_outcomes: int = 0  # created or changed


def _organisation(name: str, country: str, *, host: bool, cache: dict, result: ImportResult
                  ) -> Organisation:
    key = (name.casefold(), country)
    if key not in cache:
        organisation = Organisation.objects.filter(name__iexact=name, country=country).first()
        if organisation is None:
            organisation = Organisation.objects.create(
                name=name, country=country, is_host=host, is_sending=not host)
            result.organisations_created += 1
        elif host and not organisation.is_host:
            organisation.is_host = True  # save(), not update(): the audit log records it
            organisation.save(update_fields=["is_host", "updated_at"])
        elif not host and not organisation.is_sending:
            organisation.is_sending = True
            organisation.save(update_fields=["is_sending", "updated_at"])
        cache[key] = organisation
    return cache[key]


def _chunks(items: list, size: int = 500) -> Iterable[list]:
    for i in range(0, len(items), size):
        yield items[i:i + size]


MissionKey = tuple[int, str, str, date, date]
PlacementKey = tuple[int, int, date]


@transaction.atomic
def _records_of(rows: list[ValidRow], host_ids: list[int]) -> tuple[
        dict[str, Volunteer], dict[MissionKey, Mission], dict[PlacementKey, Placement]]:
    """What the file may match, read up front in a few queries: its volunteers by reference,
    its hosts' missions by (host, scheme, title, dates), and those volunteers' placements at
    those hosts by (volunteer, host, start), locked for the update."""
    volunteers: dict[str, Volunteer] = {}
    for chunk in _chunks(sorted({row.volunteer_ref for row in rows})):
        volunteers.update({v.reference: v for v in Volunteer.objects.filter(reference__in=chunk)})
    missions: dict[MissionKey, Mission] = {}
    for mission in Mission.objects.filter(host_id__in=host_ids).order_by("-pk"):
        key = (mission.host_id, mission.scheme_id, mission.title, mission.start_date,
               mission.end_date)
        missions[key] = mission  # ordered by -pk: the oldest of equal missions wins
    existing: dict[PlacementKey, Placement] = {}
    for chunk in _chunks([v.pk for v in volunteers.values()]):
        for placement in (
            Placement.objects.select_for_update(of=("self",))
            .filter(volunteer_id__in=chunk, mission__host_id__in=host_ids)
            .select_related("mission").order_by("pk")
        ):
            existing.setdefault(
                (placement.volunteer_id, placement.mission.host_id, placement.start_date),
                placement)
    return volunteers, missions, existing


def _volunteer_for(row: ValidRow, sender: Organisation, volunteers: dict[str, Volunteer],
                   result: ImportResult) -> Volunteer:
    """The row's volunteer: the one with its reference, or a new one from the row."""
    volunteer = volunteers.get(row.volunteer_ref)
    if volunteer is None:
        volunteer = Volunteer.objects.create(
            reference=row.volunteer_ref, birth_date=row.birth_date, gender=row.gender,
            nationality=row.nationality, residence_country=row.residence_country,
            sending_organisation=sender)
        volunteers[row.volunteer_ref] = volunteer
        result.volunteers_created += 1
    return volunteer


def _mission_for(row: ValidRow, host: Organisation, missions: dict[MissionKey, Mission],
                 today: date, result: ImportResult) -> Mission:
    """The row's mission: the host's with the same scheme, title and dates, or a new one (closed
    when it ended before today)."""
    mission_key = (host.pk, row.scheme, row.mission_title, row.start_date, row.end_date)
    found_mission = missions.get(mission_key)
    if found_mission is not None:
        mission = found_mission
    else:
        mission = Mission.objects.create(
            host=host, scheme_id=row.scheme, title=row.mission_title, country=row.host_country,
            city=host.city or "", start_date=row.start_date, end_date=row.end_date,
            capacity=1, theme=Theme.SOLIDARITY, languages=[],
            status=MissionStatus.CLOSED if row.end_date < today else MissionStatus.PUBLISHED,
        )
        missions[mission_key] = mission
        result.missions_created += 1
    return mission


def _placement_written(found: Placement | None, volunteer: Volunteer, start_date: date,
                       wanted: dict[str, Any], result: ImportResult) -> Placement:
    """Create the placement, or bring the existing one up to date (saved only if a value
    differs), counting which it was."""
    if found is None:
        placement = Placement.objects.create(volunteer=volunteer, start_date=start_date,
                                             **wanted)
        result.created += 1
    else:
        placement = found
        changed = [name for name, value in wanted.items()
                   if getattr(placement, name) != value]
        if changed:
            for name in changed:
                setattr(placement, name, wanted[name])
            placement.save()
            result.updated += 1
        else:
            result.unchanged += 1
    return placement


def placements_import(*, rows: list[ValidRow], today: date) -> ImportResult:
    """Write valid rows: organisations, missions and volunteers found or created, placements
    created or brought up to date, and the ledger synchronised. Rows must come from
    `check_rows` with no error. What already exists is read in a few queries up front (a
    spreadsheet holds thousands of rows), then each row costs at most its own writes."""
    result = ImportResult()
    organisations: dict[tuple[str, str], Organisation] = {}
    agreements = dict(Agreement.objects.values_list("reference", "pk"))
    # Without `agreement_ref`, a row gets the agreement that covers it (agreements/coverage.py);
    # an ambiguous row stays without one (the file did not say which).
    coverage = CoverageIndex.load()
    resolved = [
        (row,
         _organisation(row.sending_org, row.sending_country, host=False, cache=organisations,
                       result=result),
         _organisation(row.host_org, row.host_country, host=True, cache=organisations,
                       result=result))
        for row in rows
    ]
    host_ids = sorted({host.pk for _row, _sender, host in resolved})
    volunteers, missions, existing = _records_of(rows, host_ids)
    touched: list[int] = []
    touched_missions: set[int] = set()
    for row, sender, host in resolved:
        volunteer = _volunteer_for(row, sender, volunteers, result)
        mission = _mission_for(row, host, missions, today, result)
        ended = row.status in (PlacementStatus.COMPLETED, PlacementStatus.INTERRUPTED)
        wanted = {
            "mission": mission, "sending_organisation": sender,
            "nationality": row.nationality, "host_country": row.host_country,
            "scheme_id": mission.scheme_id, "gender": volunteer.gender,
            "end_date": row.end_date, "status": row.status,
            "ended_on": row.end_date if ended else None, "end_reason": row.end_reason,
            "agreement_id": agreements.get(row.agreement_ref) if row.agreement_ref else coverage.decide(
                sender=sender.pk, host=host.pk, scheme=mission.scheme_id, on=row.start_date,
                named=mission.agreement_id).agreement,
        }
        placement = _placement_written(existing.get((volunteer.pk, host.pk, row.start_date)),
                                       volunteer, row.start_date, wanted, result)
        touched.append(placement.pk)
        touched_missions.add(mission.pk)
        if row.visa is not None:
            result.visa_outcomes += _visa_outcome_sync(placement, row.visa)
    _widen_missions(touched_missions)
    result.ledger_entries = ledger_sync_placements(
        placement_ids=touched, occurred_on=today, note="import of past placements")
    return result


def _visa_outcome_sync(placement: Placement, facts: VisaFacts) -> int:
    """The row's visa outcome on the placement (1 when written, 0 when already so): a re-import
    writes nothing, so the audit log gets no empty change."""
    ground = (VisaRefusalGround.objects.get(code=facts.refusal_ground)
              if facts.refusal_ground else None)
    wanted = {"application_date": facts.application_date,
              "appointment_date": facts.appointment_date, "decision": facts.decision,
              "decision_date": facts.decision_date, "refusal_ground": ground}
    outcome = VisaOutcome.objects.filter(placement=placement).first()
    if outcome is None:
        # The procedure's visa step, when the placement has one (a recent placement re-imported).
        step_id = (placement.procedure.steps.filter(code=VISA_STEP_CODE)
                   .values_list("pk", flat=True).first()
                   if hasattr(placement, "procedure") else None)
        VisaOutcome.objects.create(placement=placement, step_id=step_id, **wanted)
        return 1
    changed = [name for name, value in wanted.items() if getattr(outcome, name) != value]
    if not changed:
        return 0
    for name in changed:
        setattr(outcome, name, wanted[name])
    outcome.save()
    return 1


def _widen_missions(mission_ids: set[int]) -> None:
    """A mission holds at least the placements the past gave it."""
    for chunk in _chunks(sorted(mission_ids)):
        taken = (
            Mission.objects.filter(pk__in=chunk)
            .annotate(n=Count("placements", filter=~Q(placements__status=PlacementStatus.CANCELLED)))
            .filter(n__gt=F("capacity"))
        )
        for mission in taken:
            mission.capacity = mission.n  # save(), not update(): the audit log records it
            mission.save(update_fields=["capacity", "updated_at"])
