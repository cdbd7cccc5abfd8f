"""PEF, the Project Exchange Form (shared note §4): an organisation's projects.

Read: version 1.0 (`<project id="…">`) and PLATO's 2.0 (`<project_id>`), the root `projectform`
and PLATO's wrapper `projectforms` (either `projectform*` or bare `project*`), with every
tolerated deviation of §8 read with a warning. Written: 2.0, with the 1.0 `id` attribute too.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from xml.etree.ElementTree import Element  # noqa: S405 (type only; parsing is defused)

from .base import (
    MAX_BYTES,
    Fields,
    Report,
    Writer,
    iter_named,
    load_xml,
    local_name,
    read_bool,
    read_date,
    read_decimal,
    read_float,
    read_int,
    read_text,
    safe_file_part,
    split_list,
)
from .codes import (
    read_country,
    read_currency,
    read_languages,
    read_project_type,
    read_work,
)

PEF_ROOTS = ("projectform", "projectforms")
NETWORK = "ALLIANCE"
APPLICATION = "Reciprocity"
VERSION = "2.0"
PHOTOS = 9

TEXT_FIELDS = (
    "description", "descr_partner", "descr_work", "descr_accomodation_and_food",
    "descr_location_and_leisure", "descr_requirements", "descr_appointement",
    "project_summary", "ho_description",
)

# Tolerated spellings of project elements (shared note §4.3 and §8).
PROJECT_ALIASES: dict[str, tuple[str, ...]] = {
    "participation_fee": ("extrafee",),
    "participation_fee_currency": ("participation_fee_curency", "extrafee_currency"),
    "train_bus_station": ("station", "train"),
    "region": ("prov_rgn_state",),
    "descr_partner": ("partner",),
    "descr_accomodation_and_food": ("accomodation_and_food", "descr_accommodation_and_food"),
}
HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    "application": ("appli",),
    "pef_sent_by": ("pef_send_by", "fpl_send_by", "fpl_sent_by"),
    "pef_sender_email": ("fpl_sender_email",),
}


def project_id_for(org_code: str, code: str, start: date | str, end: date | str) -> str:
    """The handbook's project ID: MD5 of `org:code:start:end`, each part trimmed (§2)."""
    parts = [org_code, code, str(start), str(end)]
    return hashlib.md5(":".join(p.strip() for p in parts).encode("utf-8"),  # noqa: S324
                       usedforsecurity=False).hexdigest()


@dataclass
class PefProject:
    project_id: str
    code: str
    start_date: date
    end_date: date
    name: str
    country: str  # ISO 3166 alpha-3
    numvol: int
    project_type: str = ""
    work: list[str] = field(default_factory=list)
    location: str = ""
    region: str = ""
    languages: list[str] = field(default_factory=list)  # ISO 639-2
    participation_fee: Decimal | None = None
    participation_fee_currency: str = ""
    min_age: int | None = None
    max_age: int | None = None
    disabled_vols: bool = False
    accessibility: bool = False
    numvol_m: int | None = None
    numvol_f: int | None = None
    max_vols_per_country: int | None = None
    max_teenagers: int | None = None
    max_national_vols: int | None = None
    vegetarian: bool = False
    family: bool = False
    description: str = ""
    descr_partner: str = ""
    descr_work: str = ""
    descr_accomodation_and_food: str = ""
    descr_location_and_leisure: str = ""
    descr_requirements: str = ""
    descr_appointement: str = ""
    project_summary: str = ""
    ho_description: str = ""
    airport: str = ""
    train_bus_station: str = ""
    lat_project: float | None = None
    lng_project: float | None = None
    lat_station: float | None = None
    lng_station: float | None = None
    notes: str = ""
    bi_tri_multi: bool = False
    last_update: date | None = None
    hide_prj_date: date | None = None
    sdg_prj: list[int] = field(default_factory=list)
    photos: list[str] = field(default_factory=list)
    cancelled: bool = False
    # Was the ID generated here (missing or blank in the file)?
    generated_id: bool = False


@dataclass
class PefHeader:
    network: str = NETWORK
    application: str = APPLICATION
    date_filed: date | None = None
    version: str = VERSION
    pef_sent_by: str = ""
    pef_sender_email: str = ""
    organization: str = ""
    organization_code: str = ""
    ho_description: str = ""


@dataclass
class PefForm:
    header: PefHeader
    projects: list[PefProject] = field(default_factory=list)


@dataclass
class PefResult:
    forms: list[PefForm]
    report: Report

    @property
    def projects(self) -> list[tuple[PefHeader, PefProject]]:
        return [(form.header, p) for form in self.forms for p in form.projects]


# --- reading -------------------------------------------------------------------------------------

_KNOWN_PROJECT = {
    "project_id", "code", "project_type", "work", "start_date", "end_date", "name", "location",
    "country", "region", "languages", "participation_fee", "participation_fee_currency",
    "min_age", "max_age", "disabled_vols", "accessibility", "numvol", "numvol_m", "numvol_f",
    "max_vols_per_country", "max_teenagers", "max_national_vols", "vegetarian", "family",
    *TEXT_FIELDS, "airport", "train_bus_station", "lat_project", "lng_project", "lat_station",
    "lng_station", "notes", "bi_tri_multi", "last_update", "hide_prj_date", "sdg_prj",
    "cancelled", *(f"url_prj_photo{i}" for i in range(1, PHOTOS + 1)),
    *(alias for aliases in PROJECT_ALIASES.values() for alias in aliases),
}
_KNOWN_HEADER = {
    "network", "application", "date_filed", "version", "pef_sent_by", "pef_sender_email",
    "organization", "organization_code", "ho_description", "projects", "project",
    *(alias for aliases in HEADER_ALIASES.values() for alias in aliases),
}


def parse_pef(
    data: bytes, *, name: str, organisation_code: str = "", organisation: str = "",
    max_bytes: int = MAX_BYTES,
) -> PefResult:
    """Read a PEF leniently. Raises FormatError when the file cannot be read at all; problems
    with single elements are in `result.report` (errors make the file unusable)."""
    report = Report(file=name)
    root = load_xml(data, name=name, roots=PEF_ROOTS, report=report, max_bytes=max_bytes)
    forms: list[PefForm] = []
    if local_name(root.tag) == "projectform":
        forms.append(_read_form(root, report, organisation_code, organisation))
    else:
        inner = list(iter_named(root, "projectform"))
        for element in inner:
            forms.append(_read_form(element, report, organisation_code, organisation))
        bare = list(iter_named(root, "project"))
        if bare:
            # GetPartnerProjects: projects without a header; the caller knows whose they are.
            header = PefHeader(network="", application="", version="",
                               organization=organisation, organization_code=organisation_code)
            form = PefForm(header=header)
            if not organisation_code:
                report.error("", "organization_code", "the projects have no header naming their "
                                                      "organisation.")
            _read_projects(bare, form, report, start=1)
            forms.append(form)
    if not any(form.projects for form in forms):
        report.warn("", "projects", "the file contains no project.")
    ids: dict[tuple[str, str], str] = {}
    for form in forms:
        for index, project in enumerate(form.projects, start=1):
            key = (form.header.organization_code.upper(), project.project_id)
            if key in ids:
                report.error(_where(index, project.code), "project_id",
                             f"{project.project_id} also identifies {ids[key]} in this file.")
            ids[key] = f"project {project.code or index}"
    return PefResult(forms=forms, report=report)


def _read_form(
    element: Element, report: Report, organisation_code: str, organisation: str
) -> PefForm:
    f = Fields(element, report)
    header = PefHeader(
        network=read_text(f.raw("network"), report, "", "network"),
        application=read_text(f.raw("application", *HEADER_ALIASES["application"]), report, "",
                              "application"),
        date_filed=read_date(f.raw("date_filed"), report, "", "date_filed"),
        version=read_text(f.raw("version"), report, "", "version"),
        pef_sent_by=read_text(f.raw("pef_sent_by", *HEADER_ALIASES["pef_sent_by"]), report, "",
                              "pef_sent_by"),
        pef_sender_email=read_text(
            f.raw("pef_sender_email", *HEADER_ALIASES["pef_sender_email"]), report, "",
            "pef_sender_email"),
        organization=read_text(f.raw("organization"), report, "", "organization"),
        organization_code=read_text(f.raw("organization_code"), report, "", "organization_code"),
        ho_description=read_text(f.raw("ho_description"), report, "", "ho_description"),
    )
    if not header.organization_code:
        if organisation_code:
            header.organization_code = organisation_code
        else:
            report.error("", "organization_code", "missing; the hosting organisation's code is "
                                                  "required." if not f.has("organization_code")
                         else "empty; the hosting organisation's code is required.")
    if not header.organization and organisation:
        header.organization = organisation
    for tag in f.names():
        if tag not in _KNOWN_HEADER:
            report.warn("", tag, "unknown header element ignored.")
    form = PefForm(header=header)
    containers = list(iter_named(element, "projects"))
    projects = [p for c in containers for p in iter_named(c, "project")]
    loose = list(iter_named(element, "project"))
    if loose:
        report.warn("", "project", "projects outside <projects> read as well.")
    _read_projects(projects + loose, form, report, start=1)
    return form


def _where(index: int, code: str) -> str:
    return f"project {index} ({code})" if code else f"project {index}"


def _read_projects(elements: list[Element], form: PefForm, report: Report, *, start: int) -> None:
    for offset, element in enumerate(elements):
        project = _read_project(element, form.header, report, index=start + offset)
        if project is not None:
            form.projects.append(project)


def _normal_id(value: str) -> str:
    return value.strip().replace("-", "").lower()


def _read_project(
    element: Element, header: PefHeader, report: Report, *, index: int
) -> PefProject | None:
    f = Fields(element, report)
    code = read_text(f.raw("code"), report, "", "code")
    where = _where(index, code)
    f.where = where
    errors_before = len(report.errors)

    def text(tag: str) -> str:
        return read_text(f.raw(tag, *PROJECT_ALIASES.get(tag, ())), report, where, tag)

    if not code:
        report.error(where, "code", "missing; the project code is required." if not f.has("code")
                     else "empty; the project code is required.")
    start = read_date(f.raw("start_date"), report, where, "start_date", required=True)
    end = read_date(f.raw("end_date"), report, where, "end_date", required=True)
    if start and end and end < start:
        report.error(where, "end_date", f"{end.isoformat()} is before the start "
                                        f"{start.isoformat()}.")
    title = text("name")
    if not title:
        report.error(where, "name", "missing; the project name is required." if not f.has("name")
                     else "empty; the project name is required.")
    country = read_country(f.raw("country"), report, where, "country", required=True)
    numvol = read_int(f.raw("numvol"), report, where, "numvol", required=True, minimum=1)
    for tag in ("work", "languages"):
        if not f.has(tag):
            report.error(where, tag, "missing; this element is required.")

    attribute = element.get("id")
    element_id = f.raw("project_id")
    project_id = ""
    for source, value in (("project_id", element_id), ("id", attribute)):
        if value is not None and value.strip():
            normal = _normal_id(value)
            if normal != value:
                report.warn(where, source, f"“{value}” read as {normal} (spaces, hyphens or "
                                           "capitals removed).")
            if project_id and normal != project_id:
                report.warn(where, "project_id", f"the attribute id {normal} differs from the "
                                                 f"element; {project_id} is used.")
            project_id = project_id or normal
    generated = False
    if not project_id and code and start and end:
        project_id = project_id_for(header.organization_code, code, start, end)
        generated = True
        blank = element_id is not None or attribute is not None
        report.warn(where, "project_id", ("blank" if blank else "missing") +
                    f"; generated as MD5 of “{header.organization_code.strip()}:{code.strip()}:"
                    f"{start.isoformat()}:{end.isoformat()}” = {project_id}.")
    elif project_id and not re.fullmatch(r"[0-9a-f]{32}", project_id):
        report.warn(where, "project_id", f"“{project_id}” is not 32 hexadecimal characters; "
                                         "kept as it is.")

    work = read_work(split_list(f.raw("work"), report, where, "work", separators=",;/-"),
                     report, where, "work")
    if f.has("work") and not work:
        report.warn(where, "work", "empty; no work type.")
    languages = read_languages(
        split_list(f.raw("languages"), report, where, "languages", separators=",;/"),
        report, where, "languages")
    if f.has("languages") and not languages:
        report.warn(where, "languages", "empty; no language.")

    fee_tag = "participation_fee" if f.has("participation_fee") else "extrafee"
    fee = read_decimal(f.raw("participation_fee", "extrafee"), report, where, fee_tag)
    currency = read_currency(
        f.raw("participation_fee_currency", *PROJECT_ALIASES["participation_fee_currency"]),
        report, where, "participation_fee_currency")
    min_age = read_int(f.raw("min_age"), report, where, "min_age")
    max_age = read_int(f.raw("max_age"), report, where, "max_age")
    if min_age is not None and max_age is not None and min_age > max_age:
        report.warn(where, "max_age", f"{max_age} is below the minimum age {min_age}; both "
                                      "ignored.")
        min_age = max_age = None

    sdg: list[int] = []
    for item in split_list(f.raw("sdg_prj"), report, where, "sdg_prj", separators=", ;"):
        if item.isdigit() and 0 <= int(item) <= 17:
            if int(item):
                sdg.append(int(item))
        else:
            report.warn(where, "sdg_prj", f"“{item}” is not a goal number (1-17). Ignored.")
    photos = [text(f"url_prj_photo{i}") for i in range(1, PHOTOS + 1)]

    for tag in f.names():
        if tag not in _KNOWN_PROJECT:
            report.warn(where, tag, "unknown element ignored.")
    if len(report.errors) > errors_before or start is None or end is None or numvol is None:
        return None
    return PefProject(
        project_id=project_id, code=code, start_date=start, end_date=end, name=title,
        country=country, numvol=numvol,
        project_type=read_project_type(f.raw("project_type"), report, where, "project_type"),
        work=work, location=text("location"), region=text("region"), languages=languages,
        participation_fee=fee, participation_fee_currency=currency,
        min_age=min_age, max_age=max_age,
        disabled_vols=read_bool(f.raw("disabled_vols"), report, where, "disabled_vols"),
        accessibility=read_bool(f.raw("accessibility"), report, where, "accessibility"),
        numvol_m=read_int(f.raw("numvol_m"), report, where, "numvol_m"),
        numvol_f=read_int(f.raw("numvol_f"), report, where, "numvol_f"),
        max_vols_per_country=read_int(f.raw("max_vols_per_country"), report, where,
                                      "max_vols_per_country"),
        max_teenagers=read_int(f.raw("max_teenagers"), report, where, "max_teenagers"),
        max_national_vols=read_int(f.raw("max_national_vols"), report, where,
                                   "max_national_vols"),
        vegetarian=read_bool(f.raw("vegetarian"), report, where, "vegetarian"),
        family=read_bool(f.raw("family"), report, where, "family"),
        **{name: text(name) for name in TEXT_FIELDS},
        airport=text("airport").upper(),
        train_bus_station=text("train_bus_station"),
        lat_project=read_float(f.raw("lat_project"), report, where, "lat_project"),
        lng_project=read_float(f.raw("lng_project"), report, where, "lng_project"),
        lat_station=read_float(f.raw("lat_station"), report, where, "lat_station"),
        lng_station=read_float(f.raw("lng_station"), report, where, "lng_station"),
        notes=text("notes"),
        bi_tri_multi=read_bool(f.raw("bi_tri_multi"), report, where, "bi_tri_multi"),
        last_update=read_date(f.raw("last_update"), report, where, "last_update"),
        hide_prj_date=read_date(f.raw("hide_prj_date"), report, where, "hide_prj_date"),
        sdg_prj=sdg,
        photos=[p for p in photos if p],
        cancelled=read_bool(f.raw("cancelled"), report, where, "cancelled"),
        generated_id=generated,
    )


# --- writing -------------------------------------------------------------------------------------


def write_pef(form: PefForm) -> bytes:
    """A PEF 2.0 document: handbook names plus PLATO's, the ID as element and as attribute."""
    w = Writer("projectform")
    h = form.header
    w.add(w.root, "network", h.network or NETWORK)
    w.add(w.root, "application", h.application or APPLICATION)
    w.add(w.root, "date_filed", h.date_filed)
    w.add(w.root, "version", VERSION)
    w.add(w.root, "pef_sent_by", h.pef_sent_by)
    w.add(w.root, "pef_sender_email", h.pef_sender_email)
    w.add(w.root, "organization", h.organization)
    w.add(w.root, "organization_code", h.organization_code)
    projects = w.add(w.root, "projects", None)
    for p in form.projects:
        element = w.add(projects, "project", None)
        element.set("id", p.project_id)
        for tag, value in _project_values(p):
            w.add(element, tag, value)
    return w.to_bytes()


def _project_values(p: PefProject) -> list[tuple[str, object]]:
    values: list[tuple[str, object]] = [
        ("project_id", p.project_id), ("code", p.code), ("project_type", p.project_type),
        ("work", p.work), ("start_date", p.start_date), ("end_date", p.end_date),
        ("name", p.name), ("location", p.location), ("country", p.country),
        ("region", p.region), ("languages", p.languages),
        ("participation_fee", p.participation_fee),
        ("participation_fee_currency", p.participation_fee_currency),
        ("min_age", p.min_age), ("max_age", p.max_age),
        ("disabled_vols", p.disabled_vols), ("accessibility", p.accessibility),
        ("numvol", p.numvol), ("numvol_m", p.numvol_m), ("numvol_f", p.numvol_f),
        ("max_vols_per_country", p.max_vols_per_country), ("max_teenagers", p.max_teenagers),
        ("max_national_vols", p.max_national_vols), ("vegetarian", p.vegetarian),
        ("family", p.family),
    ]
    values += [(name, getattr(p, name)) for name in TEXT_FIELDS]
    values += [
        ("airport", p.airport), ("train_bus_station", p.train_bus_station),
        ("lat_project", p.lat_project if p.lat_project is not None else 0),
        ("lng_project", p.lng_project if p.lng_project is not None else 0),
        ("lat_station", p.lat_station if p.lat_station is not None else 0),
        ("lng_station", p.lng_station if p.lng_station is not None else 0),
        ("notes", p.notes), ("bi_tri_multi", p.bi_tri_multi), ("last_update", p.last_update),
        ("hide_prj_date", p.hide_prj_date), ("sdg_prj", p.sdg_prj or [0]),
    ]
    values += [(f"url_prj_photo{i}", url) for i, url in enumerate(p.photos[:PHOTOS], start=1)]
    values.append(("cancelled", p.cancelled))
    return values


def pef_file_name(form: PefForm, *, today: date) -> str:
    """`PEF_<projectcode>_yyyymmdd.xml` for one project, `PEF_<orgcode>_yyyymmdd.xml` for several
    (handbook §2; the date is the file's `date_filed`)."""
    day = (form.header.date_filed or today).strftime("%Y%m%d")
    subject = form.projects[0].code if len(form.projects) == 1 else form.header.organization_code
    return f"PEF_{safe_file_part(subject)}_{day}.xml"
