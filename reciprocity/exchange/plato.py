"""The PLATO web service (ExternalSynchronization.asmx), shared note §6: a small HTTP client and
the two use-cases on top of it, `plato_pull` (projects and free places into missions) and
`plato_push` (one application as a VEF through ImportVolunteer).

Plain HTTP GET/POST of the .asmx binding, authenticated by the organisation's web key. Every
call has a timeout; connection failures, timeouts and 429/502/503/504 answers are retried with
a growing pause; anything else is an error with a message naming the operation. Answers are parsed with
the same hardened reader as files (size limit, no DTD).
"""

from __future__ import annotations

import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from reciprocity.accounts.models import User
from reciprocity.applications.models import Application
from reciprocity.core.exceptions import ApplicationError
from reciprocity.exchange.exports import vef_export
from reciprocity.exchange.formats import MAX_BYTES, FormatError, parse_fpl
from reciprocity.exchange.formats.base import Report, load_xml, local_name
from reciprocity.exchange.models import ProjectDetails
from reciprocity.exchange.services import ImportOutcome, normal_code, pef_import
from reciprocity.partners.models import Organisation

# Gateway and availability failures are worth another try; everything else is an answer.
RETRIED_STATUSES = frozenset({429, 502, 503, 504})


class PlatoError(ApplicationError):
    code = "plato_error"
    status = 502


@dataclass
class PlatoClient:
    base_url: str
    web_key: str
    timeout: float = 30.0
    retries: int = 3
    backoff: float = 1.0
    sleep: Callable[[float], None] = time.sleep

    @classmethod
    def from_settings(cls) -> PlatoClient:
        if not settings.PLATO_WEB_KEY:
            raise PlatoError(_("PLATO is not configured: set PLATO_WEB_KEY (and PLATO_BASE_URL "
                               "for another server)."), code="plato_not_configured")
        return cls(base_url=settings.PLATO_BASE_URL, web_key=settings.PLATO_WEB_KEY,
                   timeout=settings.PLATO_TIMEOUT_SECONDS, retries=settings.PLATO_RETRIES,
                   backoff=settings.PLATO_BACKOFF_SECONDS)

    def _url(self, operation: str) -> str:
        return f"{self.base_url.rstrip('/')}/{operation}"

    def call(self, operation: str, *, params: dict[str, str] | None = None,
             form: dict[str, str] | None = None) -> bytes:
        """The raw answer of one operation (GET with `params`, or POST of `form`)."""
        query = {"organizationWebserviceKey": self.web_key, **(params or {})}
        if form is None:
            request = urllib.request.Request(  # noqa: S310 (http(s) URL from settings)
                self._url(operation) + "?" + urllib.parse.urlencode(query),
                headers={"Accept": "application/xml"})
        else:
            body = urllib.parse.urlencode(
                {"organizationWebserviceKey": self.web_key, **form}).encode()
            request = urllib.request.Request(  # noqa: S310
                self._url(operation), data=body, method="POST",
                headers={"Accept": "application/xml",
                         "Content-Type": "application/x-www-form-urlencoded"})
        if not request.full_url.startswith(("http://", "https://")):
            raise PlatoError(_("PLATO_BASE_URL must be an http(s) address."),
                             code="plato_not_configured")
        last = ""
        for attempt in range(1, self.retries + 2):
            try:
                with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                    data: bytes = response.read(MAX_BYTES + 1)
                if len(data) > MAX_BYTES:
                    raise PlatoError(_("PLATO %(op)s: the answer is larger than 10 MB.")
                                     % {"op": operation})
                return data
            except urllib.error.HTTPError as exc:
                detail = exc.read(2000).decode("utf-8", "replace").strip()
                last = _("HTTP %(status)s %(detail)s") % {
                    "status": exc.code, "detail": detail[:300]}
                if exc.code not in RETRIED_STATUSES:
                    # Our request is wrong, or PLATO raised an error (an .asmx service answers
                    # 500 with the exception: a wrong key, for one): trying again will not help.
                    break
            except (urllib.error.URLError, TimeoutError, OSError) as exc:
                reason = getattr(exc, "reason", exc)
                last = str(reason) or exc.__class__.__name__
            if attempt <= self.retries:
                self.sleep(self.backoff * 2 ** (attempt - 1))
        raise PlatoError(_("PLATO %(op)s failed after %(n)d attempt(s): %(reason)s")
                         % {"op": operation, "n": attempt, "reason": last},
                         details={"operation": operation})


# --- pull ----------------------------------------------------------------------------------------


@dataclass
class PullOutcome:
    projects: ImportOutcome
    free_places: int = 0
    warnings: list[str] = field(default_factory=list)


def _forms_of(data: bytes, code: str) -> bytes:
    """The `projectform` of organisation `code` from GetAllProjects, as a file of its own."""
    from xml.etree.ElementTree import Element, tostring  # noqa: S405 (building only)

    root = load_xml(data, name="GetAllProjects", roots=["projectforms", "projectform"],
                    report=Report("GetAllProjects"))
    forms = [root] if local_name(root.tag) == "projectform" else [
        child for child in root if local_name(child.tag) == "projectform"]
    wrapper = Element("projectforms")
    for form in forms:
        org = next((c.text or "" for c in form if local_name(c.tag).lower()
                    == "organization_code"), "")
        if normal_code(org) == code:
            wrapper.append(form)
    return tostring(wrapper, encoding="utf-8")


def plato_pull(
    *, organisation_code: str, today: date, now: datetime, dry_run: bool = False,
    client: PlatoClient | None = None, technical_key: str = "",
) -> PullOutcome:
    """The projects of `organisation_code` (GetAllProjects, or GetPartnerProjects when its
    PLATO technical key is given) into work-camp missions, then their free places
    (GetAllFreePlaces) beside them, stamped `now` (the moment the edge started the pull). The
    projects import is all or nothing, as from a file."""
    client = client or PlatoClient.from_settings()
    code = normal_code(organisation_code)
    if technical_key:
        data = client.call("GetPartnerProjects",
                           params={"partnerOrganizationTechnicalKey": technical_key})
        known = Organisation.objects.filter(exchange_code__iexact=code).first()
        outcome = pef_import(files=[("GetPartnerProjects", data)], today=today, dry_run=dry_run,
                             organisation_code=code,
                             organisation=known.name if known else code)
    else:
        data = client.call("GetAllProjects")
        try:
            mine = _forms_of(data, code)
        except FormatError as exc:
            outcome = ImportOutcome(dry_run=dry_run, errors=list(exc.problems))
            return PullOutcome(projects=outcome)
        outcome = pef_import(files=[("GetAllProjects", mine)], today=today, dry_run=dry_run)
    result = PullOutcome(projects=outcome)
    if outcome.errors or dry_run:
        return result
    places = client.call("GetAllFreePlaces")
    try:
        parsed = parse_fpl(places, name="GetAllFreePlaces")
    except FormatError as exc:
        result.warnings.extend(exc.problems)
        return result
    result.warnings.extend(parsed.report.warnings + parsed.report.errors)
    ids = {o.key for o in outcome.objects if o.kind == "mission"}
    with transaction.atomic():
        for project in parsed.document.projects:
            if project.project_id not in ids:
                continue
            updated = ProjectDetails.objects.filter(
                mission__exchange_project_id=project.project_id,
                mission__host__exchange_code__iexact=code,
            ).update(free_places=to_json_fpl(project), free_places_at=now)
            result.free_places += updated
    return result


def to_json_fpl(project: Any) -> dict[str, Any]:
    from dataclasses import asdict

    data = asdict(project)
    for key, value in list(data.items()):
        if isinstance(value, date | datetime):
            data[key] = value.isoformat()
    return data


# --- push ----------------------------------------------------------------------------------------


@dataclass
class PushOutcome:
    imported_ids: list[str]
    file_name: str
    warnings: list[str] = field(default_factory=list)


def plato_push(
    *, application: Application, today: date, actor: User | None = None,
    client: PlatoClient | None = None,
) -> PushOutcome:
    """Send one application to PLATO as a VEF (ImportVolunteer). PLATO answers `Success` as the
    text `true` or `false` (compare the text: SIW's boolean cast read `false` as success)."""
    client = client or PlatoClient.from_settings()
    exported = vef_export(application=application, today=today, viewer=actor)
    answer = client.call("ImportVolunteer", form={"xmlData": exported.content.decode("utf-8")})
    try:
        root = load_xml(answer, name="ImportVolunteer", roots=_any_root(answer),
                        report=Report("ImportVolunteer"))
    except FormatError as exc:
        raise PlatoError(_("PLATO ImportVolunteer: unreadable answer (%(reason)s)")
                         % {"reason": "; ".join(exc.problems)}) from None
    values: dict[str, list[str]] = {}
    for element in root.iter():
        name = local_name(element.tag)
        values.setdefault(name, [])
        for child in element:
            if local_name(child.tag) == "string":
                values[name].append((child.text or "").strip())
    success = next((e.text or "" for e in root.iter() if local_name(e.tag) == "Success"), "")
    if success.strip().lower() != "true":
        messages = [m for m in values.get("ErrorMessages", []) if m] or [
            _("no reason given")]
        raise PlatoError(_("PLATO refused the volunteer: %(reasons)s")
                         % {"reasons": "; ".join(messages)}, code="plato_refused",
                         details={"errors": messages})
    return PushOutcome(imported_ids=[i for i in values.get("ImportedIds", []) if i],
                       file_name=exported.name, warnings=exported.warnings)


def _any_root(data: bytes) -> list[str]:
    """ImportVolunteer's root element name is not documented: accept whichever it is."""
    import re

    match = re.search(rb"<([A-Za-z_][\w.-]*)(?=[\s>/])", re.sub(rb"<\?.*?\?>", b"", data, count=1))
    return [match.group(1).decode().split(":")[-1]] if match else ["ImportVolunteerResult"]
