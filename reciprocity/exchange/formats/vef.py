"""VEF, the Volunteer Exchange Form (shared note §3): one volunteer's application.

A flat `<vef>` record. Choices are project *codes* of the host (`choice1` … `choice10`), not
project IDs. Read leniently (`language4`, stray `choice19`, PLATO language and nationality
codes, free-text nationalities, 2-letter countries); written strictly in the handbook's order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from .base import (
    MAX_BYTES,
    Fields,
    Report,
    Writer,
    load_xml,
    read_bool,
    read_date,
    read_int,
    read_text,
    safe_file_part,
)
from .codes import (
    read_country,
    read_language,
    read_occupation,
    read_sex,
    read_work,
)

VERSION = "1.0"
APPLICATION = "Reciprocity"
MAX_CHOICES = 10
MAX_LANGUAGES = 3

# The handbook's required elements (§3.1) that we can do without: a warning when absent.
EXPECTED = (
    "version", "application", "birthplace", "address1", "zip", "city", "country", "email",
    "telephone", "language1", "langlevel1", "date_filed", "sex", "emergency_contact",
    "experience", "motivation", "nationality", "req_sent_by", "req_sender_email",
)
TEXTS = (
    "application", "birthplace", "address1", "address2", "zip", "city", "prov_rgn_state",
    "email", "telephone", "telephone2", "telephone3", "cellphone", "emergency_contact",
    "passport", "tmp_address1", "tmp_address2", "tmp_zip", "tmp_city", "special_needs",
    "experience", "motivation", "remarks", "together_with", "req_sent_by", "req_sender_email",
)


@dataclass
class VefLanguage:
    code: str  # ISO 639-2
    level: int | None = None  # 1 (almost none) .. 4 (very skilled)


@dataclass
class Vef:
    sender: str
    lastname: str
    firstname: str
    birthdate: date
    choices: list[str] = field(default_factory=list)
    version: str = VERSION
    application: str = APPLICATION
    birthplace: str = ""
    address1: str = ""
    address2: str = ""
    zip: str = ""
    city: str = ""
    prov_rgn_state: str = ""
    country: str = ""  # ISO 3166 alpha-3
    email: str = ""
    telephone: str = ""
    telephone2: str = ""
    telephone3: str = ""
    cellphone: str = ""
    languages: list[VefLanguage] = field(default_factory=list)
    date_filed: date | None = None
    sex: str = ""  # M, F or "" (not stated)
    emergency_contact: str = ""
    passport: str = ""
    occupation: str = ""
    tmp_address1: str = ""
    tmp_address2: str = ""
    tmp_zip: str = ""
    tmp_city: str = ""
    tmp_country: str = ""
    tmp_until: date | None = None
    disability: bool = False
    special_needs: str = ""
    experience: str = ""
    motivation: str = ""
    remarks: str = ""
    nationality: str = ""  # ISO 3166 alpha-3
    place_any_prj: bool = False
    place_any_prj_work: str = ""
    place_any_prj_from: date | None = None
    place_any_prj_to: date | None = None
    place_any_prj_country: str = ""
    together_with: str = ""
    req_sent_by: str = ""
    req_sender_email: str = ""

    @property
    def key(self) -> str:
        """`lastname|firstname|birthdate`: how a volunteer is named in reports."""
        return f"{self.lastname}|{self.firstname}|{self.birthdate.isoformat()}"


@dataclass
class VefResult:
    vef: Vef | None
    report: Report


_KNOWN = {
    "sender", "version", "lastname", "firstname", "birthdate", *TEXTS, "country",
    *(f"language{i}" for i in range(1, 5)), *(f"langlevel{i}" for i in range(1, 5)),
    "date_filed", "sex", "occupation", "tmp_country", "tmp_until", "disability", "nationality",
    "place_any_prj", "place_any_prj_work", "place_any_prj_from", "place_any_prj_to",
    "place_any_prj_country",
}


def parse_vef(data: bytes, *, name: str, max_bytes: int = MAX_BYTES) -> VefResult:
    """Read a VEF leniently. Raises FormatError when the file cannot be read at all."""
    report = Report(file=name)
    root = load_xml(data, name=name, roots=("vef",), report=report, max_bytes=max_bytes)
    f = Fields(root, report)

    def text(tag: str) -> str:
        return read_text(f.raw(tag), report, "", tag)

    def required(tag: str, what: str) -> str:
        value = text(tag)
        if not value:
            report.error("", tag, f"missing; {what} is required." if not f.has(tag)
                         else f"empty; {what} is required.")
        return value

    sender = required("sender", "the sending organisation's code")
    lastname = required("lastname", "the last name")
    firstname = required("firstname", "the first name")
    birthdate = read_date(f.raw("birthdate"), report, "", "birthdate", required=True)
    for tag in EXPECTED:
        if not f.has(tag):
            report.warn("", tag, "missing (the handbook requires it).")

    languages: list[VefLanguage] = []
    for i in range(1, 5):
        raw = f.raw(f"language{i}")
        if raw is None or not raw.strip():
            continue
        if i == 4:
            report.warn("", "language4", "not in the handbook (language1-3); read as well.")
        level = read_int(f.raw(f"langlevel{i}"), report, "", f"langlevel{i}")
        if level is not None and not 1 <= level <= 4:
            report.warn("", f"langlevel{i}", f"{level} is not a level (1-4). Ignored.")
            level = None
        codes = [read_language(raw, report, "", f"language{i}")]
        if not codes[0] and len(re.split(r"[,;/\s]+", raw.strip())) > 1:
            parts = [p for p in re.split(r"[,;/\s]+", raw.strip()) if p]
            codes = [read_language(p, report, "", f"language{i}") for p in parts]
        for code in codes:
            if not code:
                continue
            if any(lang.code == code for lang in languages):
                report.warn("", f"language{i}", f"{code} repeated; kept once.")
                continue
            languages.append(VefLanguage(code=code, level=level))

    choices: list[str] = []
    numbered: list[tuple[int, str, str]] = []
    for tag in f.names():
        match = re.fullmatch(r"choice(\d+)", tag)
        if match:
            numbered.append((int(match.group(1)), tag, text(tag)))
    for number, tag, value in sorted(numbered):
        if (number < 1 or number > MAX_CHOICES) and value:
            report.warn("", tag, f"not in the handbook (choice1-choice{MAX_CHOICES}); "
                                 f"“{value}” read as the next choice.")
        if not value:
            continue
        if value in choices:
            report.warn("", tag, f"“{value}” already chosen; kept once.")
            continue
        choices.append(value)
    if not choices:
        report.error("", "choice1", "no project chosen; at least choice1 is required.")

    work = read_work([w for w in re.split(r"[,;/]", f.raw("place_any_prj_work") or "") if w.strip()],
                     report, "", "place_any_prj_work")
    for tag in f.names():
        if tag not in _KNOWN and not re.fullmatch(r"choice\d+", tag):
            report.warn("", tag, "unknown element ignored.")
    if report.errors or birthdate is None:
        return VefResult(vef=None, report=report)
    return VefResult(report=report, vef=Vef(
        sender=sender, lastname=lastname, firstname=firstname, birthdate=birthdate,
        choices=choices, version=text("version"),
        **{tag: text(tag) for tag in TEXTS},
        country=read_country(f.raw("country"), report, "", "country"),
        languages=languages,
        date_filed=read_date(f.raw("date_filed"), report, "", "date_filed"),
        sex=read_sex(f.raw("sex"), report, "", "sex"),
        occupation=read_occupation(f.raw("occupation"), report, "", "occupation"),
        tmp_country=read_country(f.raw("tmp_country"), report, "", "tmp_country"),
        tmp_until=read_date(f.raw("tmp_until"), report, "", "tmp_until"),
        disability=read_bool(f.raw("disability"), report, "", "disability"),
        nationality=read_country(f.raw("nationality"), report, "", "nationality",
                                 nationality=True),
        place_any_prj=read_bool(f.raw("place_any_prj"), report, "", "place_any_prj"),
        place_any_prj_work=",".join(work),
        place_any_prj_from=read_date(f.raw("place_any_prj_from"), report, "",
                                     "place_any_prj_from"),
        place_any_prj_to=read_date(f.raw("place_any_prj_to"), report, "", "place_any_prj_to"),
        place_any_prj_country=read_country(f.raw("place_any_prj_country"), report, "",
                                           "place_any_prj_country"),
    ))


def write_vef(vef: Vef) -> bytes:
    """A VEF 1.0 in the handbook's element order (§3.1)."""
    w = Writer("vef")
    r = w.root
    value: object
    for tag, value in (
        ("sender", vef.sender), ("version", VERSION), ("application", vef.application or APPLICATION),
        ("lastname", vef.lastname), ("firstname", vef.firstname), ("birthdate", vef.birthdate),
        ("birthplace", vef.birthplace), ("address1", vef.address1), ("address2", vef.address2),
        ("zip", vef.zip), ("city", vef.city), ("prov_rgn_state", vef.prov_rgn_state),
        ("country", vef.country), ("email", vef.email), ("telephone", vef.telephone),
        ("telephone2", vef.telephone2), ("telephone3", vef.telephone3),
        ("cellphone", vef.cellphone),
    ):
        w.add(r, tag, value)
    for i, language in enumerate(vef.languages[:MAX_LANGUAGES], start=1):
        w.add(r, f"language{i}", language.code)
        w.add(r, f"langlevel{i}", language.level)
    for tag, value in (
        ("date_filed", vef.date_filed), ("sex", vef.sex),
        ("emergency_contact", vef.emergency_contact), ("passport", vef.passport),
        ("occupation", vef.occupation), ("tmp_address1", vef.tmp_address1),
        ("tmp_address2", vef.tmp_address2), ("tmp_zip", vef.tmp_zip),
        ("tmp_city", vef.tmp_city), ("tmp_country", vef.tmp_country),
        ("tmp_until", vef.tmp_until), ("disability", vef.disability),
        ("special_needs", vef.special_needs), ("experience", vef.experience),
        ("motivation", vef.motivation), ("remarks", vef.remarks),
        ("nationality", vef.nationality),
    ):
        w.add(r, tag, value)
    for i, code in enumerate(vef.choices[:MAX_CHOICES], start=1):
        w.add(r, f"choice{i}", code)
    for tag, value in (
        ("place_any_prj", vef.place_any_prj), ("place_any_prj_work", vef.place_any_prj_work),
        ("place_any_prj_from", vef.place_any_prj_from),
        ("place_any_prj_to", vef.place_any_prj_to),
        ("place_any_prj_country", vef.place_any_prj_country),
        ("together_with", vef.together_with), ("req_sent_by", vef.req_sent_by),
        ("req_sender_email", vef.req_sender_email),
    ):
        w.add(r, tag, value)
    return w.to_bytes()


def vef_file_name(vef: Vef) -> str:
    """`VEF_<sendercode>_<first>_<last>.xml` (handbook §2, as Volant writes it)."""
    person = "_".join(p for p in (safe_file_part(vef.firstname), safe_file_part(vef.lastname)) if p)
    return f"VEF_{safe_file_part(vef.sender)}_{person}.xml"
