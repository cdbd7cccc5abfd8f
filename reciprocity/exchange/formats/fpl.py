"""FPL, the Free Places List (shared note §5): how many places each project still has.

Read: the handbook's `freeplaceslist` (header + `projects/project*`) and PLATO's wrapper
`freeplaceslists` (bare `project*`). Written: the handbook's form.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from xml.etree.ElementTree import Element  # noqa: S405 (type only; parsing is defused)

from .base import (
    MAX_BYTES,
    Fields,
    Report,
    Writer,
    iter_named,
    load_xml,
    local_name,
    read_date,
    read_int,
    read_text,
    safe_file_part,
    split_list,
)
from .codes import read_country

FPL_ROOTS = ("freeplaceslist", "freeplaceslists")
NETWORK = "ALLIANCE"
APPLICATION = "Reciprocity"
VERSION = "1.0"

HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    "fpl_sent_by": ("fpl_send_by",),
    "organization_code": (),
}


@dataclass
class FplProject:
    project_id: str
    code: str
    start_date: date
    end_date: date
    numvol: int
    free_m: int = 0
    free_f: int = 0
    free_teen: int = 0
    reserved: int | None = None
    no_more_from: list[str] = field(default_factory=list)  # ISO 3166 alpha-3
    remarks: str = ""
    last_update: date | None = None
    url_infosheet: str = ""


@dataclass
class FplHeader:
    network: str = NETWORK
    application: str = APPLICATION
    date_filed: date | None = None
    version: str = VERSION
    fpl_sent_by: str = ""
    fpl_sender_email: str = ""
    organization: str = ""
    organization_code: str = ""


@dataclass
class FplDocument:
    header: FplHeader
    projects: list[FplProject] = field(default_factory=list)


@dataclass
class FplResult:
    document: FplDocument
    report: Report


_KNOWN = {
    "project_id", "id", "code", "start_date", "end_date", "numvol", "free_m", "free_f",
    "free_teen", "reserved", "no_more_from", "remarks", "notes", "last_update", "url_infosheet",
    "file_identifier_infosheet", "date_filed",
}


def parse_fpl(data: bytes, *, name: str, max_bytes: int = MAX_BYTES) -> FplResult:
    report = Report(file=name)
    root = load_xml(data, name=name, roots=FPL_ROOTS, report=report, max_bytes=max_bytes)
    header = FplHeader(network="", application="", version="")
    if local_name(root.tag) == "freeplaceslist":
        f = Fields(root, report)
        header = FplHeader(
            network=read_text(f.raw("network"), report, "", "network"),
            application=read_text(f.raw("application"), report, "", "application"),
            date_filed=read_date(f.raw("date_filed"), report, "", "date_filed"),
            version=read_text(f.raw("version"), report, "", "version"),
            fpl_sent_by=read_text(f.raw("fpl_sent_by", "fpl_send_by"), report, "", "fpl_sent_by"),
            fpl_sender_email=read_text(f.raw("fpl_sender_email"), report, "", "fpl_sender_email"),
            organization=read_text(f.raw("organization"), report, "", "organization"),
            organization_code=read_text(f.raw("organization_code"), report, "",
                                        "organization_code"),
        )
        elements = [p for c in iter_named(root, "projects") for p in iter_named(c, "project")]
        elements += list(iter_named(root, "project"))
    else:
        elements = list(iter_named(root, "project"))
    document = FplDocument(header=header)
    for index, element in enumerate(elements, start=1):
        project = _read_project(element, report, index)
        if project is not None:
            document.projects.append(project)
    return FplResult(document=document, report=report)


def _read_project(element: Element, report: Report, index: int) -> FplProject | None:
    f = Fields(element, report)
    code = read_text(f.raw("code"), report, "", "code")
    where = f"project {index} ({code})" if code else f"project {index}"
    f.where = where
    errors_before = len(report.errors)
    if not code:
        report.error(where, "code", "missing; the project code is required.")
    raw_id = f.raw("project_id", "id")
    project_id = (raw_id or "").strip().replace("-", "").lower()
    if not project_id:
        report.error(where, "project_id", "missing; the project ID is required.")
    elif project_id != raw_id:
        report.warn(where, "project_id", f"“{raw_id}” read as {project_id}.")
    start = read_date(f.raw("start_date"), report, where, "start_date", required=True)
    end = read_date(f.raw("end_date"), report, where, "end_date", required=True)
    numvol = read_int(f.raw("numvol"), report, where, "numvol", required=True)
    no_more: list[str] = []
    for item in split_list(f.raw("no_more_from"), report, where, "no_more_from",
                           separators=", ;"):
        country = read_country(item, report, where, "no_more_from")
        if country and country not in no_more:
            no_more.append(country)
    for tag in f.names():
        if tag not in _KNOWN:
            report.warn(where, tag, "unknown element ignored.")
    if len(report.errors) > errors_before or start is None or end is None or numvol is None:
        return None
    return FplProject(
        project_id=project_id, code=code, start_date=start, end_date=end, numvol=numvol,
        free_m=read_int(f.raw("free_m"), report, where, "free_m") or 0,
        free_f=read_int(f.raw("free_f"), report, where, "free_f") or 0,
        free_teen=read_int(f.raw("free_teen"), report, where, "free_teen") or 0,
        reserved=read_int(f.raw("reserved"), report, where, "reserved"),
        no_more_from=no_more,
        remarks=read_text(f.raw("remarks", "notes"), report, where, "remarks"),
        last_update=read_date(f.raw("last_update"), report, where, "last_update"),
        url_infosheet=read_text(f.raw("url_infosheet", "file_identifier_infosheet"), report,
                                where, "url_infosheet"),
    )


def write_fpl(document: FplDocument) -> bytes:
    w = Writer("freeplaceslist")
    h = document.header
    w.add(w.root, "network", h.network or NETWORK)
    w.add(w.root, "application", h.application or APPLICATION)
    w.add(w.root, "date_filed", h.date_filed)
    w.add(w.root, "version", VERSION)
    w.add(w.root, "fpl_sent_by", h.fpl_sent_by)
    w.add(w.root, "fpl_sender_email", h.fpl_sender_email)
    w.add(w.root, "organization", h.organization)
    w.add(w.root, "organization_code", h.organization_code)
    projects = w.add(w.root, "projects", None)
    for p in document.projects:
        element = w.add(projects, "project", None)
        for tag, value in (
            ("project_id", p.project_id), ("code", p.code), ("start_date", p.start_date),
            ("end_date", p.end_date), ("numvol", p.numvol), ("free_m", p.free_m),
            ("free_f", p.free_f), ("free_teen", p.free_teen), ("reserved", p.reserved),
            ("no_more_from", p.no_more_from), ("remarks", p.remarks),
            ("last_update", p.last_update),
        ):
            w.add(element, tag, value)
        if p.url_infosheet:
            w.add(element, "url_infosheet", p.url_infosheet)
    return w.to_bytes()


def fpl_file_name(document: FplDocument, *, today: date) -> str:
    """`FPL__<organizationcode>_yyyymmdd.xml`: the handbook prints a double underscore."""
    day = (document.header.date_filed or today).strftime("%Y%m%d")
    return f"FPL__{safe_file_part(document.header.organization_code)}_{day}.xml"
