"""The missions format (docs/import-format.md, "Missions"): check every row, then write.

A mission is identified by its host and its `mission_ref` (the host's own reference, stored in
`Mission.reference`): importing the same file again leaves every mission unchanged. Rows are
checked by `missions.services.mission_errors`, the rules of the mission form, so that a file
cannot hold what the page would refuse (start dates in the past excepted: a host brings its
running missions too)."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count
from django.utils.translation import gettext as _

from reciprocity.accounts.models import User
from reciprocity.imports import cells
from reciprocity.imports.cells import Checked
from reciprocity.imports.permissions import Permit
from reciprocity.missions.models import Mission, MissionStatus, MissionStatusChange, Theme
from reciprocity.missions.services import MissionData, SchemeRules, mission_errors
from reciprocity.partners.models import Organisation
from reciprocity.placements.models import HOLDING_STATUSES, Placement

COLUMNS = [
    "mission_ref", "host_org", "host_country", "scheme", "title", "theme", "country", "city",
    "start_date", "end_date", "capacity", "weekly_hours", "age_min", "age_max", "languages",
    "description", "status",
]
REQUIRED = ["mission_ref", "host_org", "host_country", "scheme", "title", "city", "start_date",
            "end_date", "capacity"]
STATUSES = [MissionStatus.DRAFT.value, MissionStatus.PUBLISHED.value]
# Compared with the stored mission: a re-import that changes none of them leaves it unchanged.
COMPARED = ["scheme_id", "title", "description", "theme", "country", "city", "start_date",
            "end_date", "capacity", "weekly_hours", "languages", "age_min", "age_max"]
Progress = Callable[[int], None]
# mission_errors names the fields of MissionData; the report names the file's columns.
FIELD_COLUMNS = {"scheme_code": "scheme", "reference": "mission_ref"}


@dataclass
class MissionRow:
    line: int
    host: Organisation
    reference: str
    data: MissionData
    status: str

    @property
    def key(self) -> tuple[int, str]:
        return (self.host.pk, self.reference)

    def fields(self) -> dict[str, Any]:
        d = self.data
        return {"scheme_id": d.scheme_code, "title": d.title, "description": d.description,
                "theme": d.theme, "country": d.country, "city": d.city,
                "start_date": d.start_date, "end_date": d.end_date, "capacity": d.capacity,
                "weekly_hours": d.weekly_hours, "languages": sorted(set(d.languages)),
                "age_min": d.age_min, "age_max": d.age_max}


def _hosts() -> dict[tuple[str, str], Organisation]:
    hosts: dict[tuple[str, str], Organisation] = {}
    for org in Organisation.objects.filter(is_host=True).order_by("-pk"):
        hosts[(org.name.casefold(), str(org.country))] = org  # the oldest of equal names wins
    return hosts


def existing_missions(keys: set[tuple[int, str]], *, lock: bool = False
                      ) -> dict[tuple[int, str], Mission]:
    """The stored missions of these (host, reference) keys; the oldest when a host reused one."""
    found: dict[tuple[int, str], Mission] = {}
    by_host: dict[int, set[str]] = {}
    for host_id, reference in keys:
        by_host.setdefault(host_id, set()).add(reference)
    for host_id, references in by_host.items():
        refs = sorted(references)
        for i in range(0, len(refs), 500):
            qs = Mission.objects.filter(host_id=host_id, reference__in=refs[i:i + 500])
            if lock:
                qs = qs.select_for_update()
            for mission in qs.order_by("-pk"):
                found[(mission.host_id, mission.reference)] = mission
    return found


def _taken(missions: list[Mission]) -> dict[int, int]:
    ids = [m.pk for m in missions]
    taken: dict[int, int] = {}
    for i in range(0, len(ids), 500):
        taken.update(
            Placement.objects.filter(mission_id__in=ids[i:i + 500], status__in=HOLDING_STATUSES)
            .values("mission_id").annotate(n=Count("id")).values_list("mission_id", "n"))
    return taken


def _parse(row: Any, *, hosts: dict[tuple[str, str], Organisation], allowed: Permit,
           reasons: list[str], warnings: list[tuple[int, str]]) -> MissionRow | None:
    """One row as a mission, or None with the reasons (every one) why it is not."""
    values, line = row.values, row.line
    cells.required(values, REQUIRED, reasons)
    reference = cells.free_text(values, "mission_ref", line=line, limit=40, reasons=reasons,
                                warnings=warnings)
    host_name = cells.free_text(values, "host_org", line=line, limit=200, reasons=reasons,
                                warnings=warnings)
    host_country = cells.country(values, "host_country", reasons)
    title = cells.free_text(values, "title", line=line, limit=None, reasons=reasons,
                            warnings=warnings)
    city = cells.free_text(values, "city", line=line, limit=None, reasons=reasons,
                           warnings=warnings)
    description = cells.free_text(values, "description", line=line, limit=None,
                                  reasons=reasons, warnings=warnings)
    country = cells.country(values, "country", reasons) or host_country
    theme = cells.choice(values, "theme", Theme.values, reasons, default=Theme.SOLIDARITY)
    status = cells.choice(values, "status", STATUSES, reasons, default=MissionStatus.DRAFT)
    start = cells.iso_date(values, "start_date", reasons)
    end = cells.iso_date(values, "end_date", reasons)
    capacity = cells.integer(values, "capacity", reasons, low=1)
    weekly_hours = cells.integer(values, "weekly_hours", reasons)
    age_min = cells.integer(values, "age_min", reasons)
    age_max = cells.integer(values, "age_max", reasons)
    host = hosts.get((host_name.casefold(), host_country))
    if host_name and host_country and host is None:
        reasons.append(_("host_org %(name)r (%(country)s) is not a host organisation of the "
                         "platform") % {"name": host_name[:80], "country": host_country})
    elif host is not None and not allowed(host):
        reasons.append(_("you may not import missions for %(name)s") % {"name": host.name})
    if reasons or host is None or start is None or end is None or capacity is None:
        return None
    data = MissionData(
        scheme_code=cells.text(values, "scheme").lower(), title=title, theme=theme,
        country=country, city=city, start_date=start, end_date=end, capacity=capacity,
        description=description, reference=reference, weekly_hours=weekly_hours,
        languages=[c.lower() for c in cells.codes(values, "languages")],
        age_min=age_min, age_max=age_max,
    )
    return MissionRow(line=line, host=host, reference=reference, data=data, status=status)


def check_missions(rows: list[Any], *, allowed: Permit, today: date
                   ) -> Checked:
    checked = Checked()
    hosts = _hosts()
    candidates: list[MissionRow] = []
    seen: dict[tuple[int, str], tuple[int, dict[str, Any]]] = {}
    for row in rows:
        reasons: list[str] = []
        warnings: list[tuple[int, str]] = []
        candidate = _parse(row, hosts=hosts, allowed=allowed, reasons=reasons, warnings=warnings)
        if candidate is None:
            checked.errors.append((row.line, "; ".join(reasons)))
            continue
        line = row.line
        fields = candidate.fields()
        if candidate.key in seen:
            first, first_fields = seen[candidate.key]
            if first_fields == fields:
                checked.warnings.append((line, _("repeats line %(line)d; imported once")
                                         % {"line": first}))
            else:
                checked.errors.append((line, _("same host_org and mission_ref as line %(line)d, "
                                                "with different values") % {"line": first}))
            continue
        seen[candidate.key] = (line, fields)
        checked.warnings.extend(warnings)
        candidates.append(candidate)
    existing = existing_missions({c.key for c in candidates})
    taken = _taken(list(existing.values()))
    schemes = SchemeRules()
    for candidate in candidates:
        mission = existing.get(candidate.key)
        errors = mission_errors(candidate.data, today=today, check_start=False,
                                taken=taken.get(mission.pk, 0) if mission else 0,
                                schemes=schemes)
        reasons = [f"{FIELD_COLUMNS.get(name, name)}: {message}"
                   for name, messages in errors.items() for message in messages]
        if mission is not None and not mission.is_editable and _changes(mission, candidate):
            reasons.append(_("the mission %(ref)s is %(status)s: it cannot change any more")
                           % {"ref": candidate.reference,
                              "status": MissionStatus(mission.status).label.lower()})
        if reasons:
            checked.errors.append((candidate.line, "; ".join(reasons)))
        else:
            checked.rows.append(candidate)
    checked.errors.sort()
    checked.warnings.sort()
    return checked


def _changes(mission: Mission, row: MissionRow) -> list[str]:
    wanted = row.fields()
    return [name for name in COMPARED if _stored(mission, name) != wanted[name]]


def _stored(mission: Mission, name: str) -> Any:
    value = getattr(mission, name)
    if name == "country":
        return str(value)
    if name == "languages":
        return sorted(set(value or []))
    return value


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


def missions_write(*, rows: list[MissionRow], actor: User | None, progress: Progress
                   ) -> Counts:
    """Create or bring up to date every mission of `rows` (valid rows of `check_missions`).
    The caller holds the transaction. `save()` per row, not bulk writes: the audit log records
    each mission and its fields."""
    counts = Counts()
    existing = existing_missions({row.key for row in rows}, lock=True)
    # Status history rows are their own record (not in the audit log): written in bulk.
    history: list[MissionStatusChange] = []
    for done, row in enumerate(rows, start=1):
        mission = existing.get(row.key)
        if mission is None:
            mission = Mission(host=row.host, reference=row.reference, status=row.status,
                              **row.fields())
            mission.save()
            history.append(MissionStatusChange(mission=mission, from_status="",
                                               to_status=row.status, actor=actor,
                                               note="import"))
            existing[row.key] = mission
            counts.created += 1
        else:
            changed = _changes(mission, row)
            if changed:
                wanted = row.fields()
                for name in changed:
                    setattr(mission, name, wanted[name])
                mission.save(update_fields=[*changed, "updated_at"])
                counts.updated += 1
            else:
                counts.unchanged += 1
        if done % 200 == 0:
            progress(done)
            MissionStatusChange.objects.bulk_create(history)
            history = []
    MissionStatusChange.objects.bulk_create(history)
    progress(len(rows))
    return counts
