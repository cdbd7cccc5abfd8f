"""A local stand-in for PLATO's ExternalSynchronization.asmx, for the tests.

It answers the documented operations (shared note §6) with files composed from the handbook's
rules, checks the web key, and can be told to fail (HTTP 503 a number of times) or to be slow.
"""

from __future__ import annotations

import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from defusedxml.ElementTree import fromstring

from reciprocity.exchange.tests.formats import composed

PATH = "/files/services/ExternalSynchronization.asmx/"
KEY = "stand-in-web-key"


def _strip_declaration(data: bytes) -> str:
    return data.decode().split("\n", 1)[1]


def all_projects() -> bytes:
    xyz = composed.pef(composed.project(), composed.project(
        project_id="b" * 32, code="XYZ 08", start_date="2027-08-02", end_date="2027-08-16"))
    abc = composed.pef(composed.project(project_id="c" * 32, code="ABC 01"),
                       header={"organization_code": "ABC", "organization": "Alpha Camps"})
    return ('<?xml version="1.0" encoding="utf-8"?>\n<projectforms>'
            + _strip_declaration(xyz) + _strip_declaration(abc) + "</projectforms>").encode()


def partner_projects() -> bytes:
    return ('<?xml version="1.0" encoding="utf-8"?>\n<projectforms>'
            + composed.project(project_id="D1D1D1D1-D1D1-D1D1-D1D1-D1D1D1D1D1D1", code="PRT 1")
            + "</projectforms>").encode()


def free_places() -> bytes:
    return composed.fpl(
        {"project_id": "a3f1c0de5b7a4c2e9d8f00112233aabb", "free_m": "3", "free_f": "1"},
        {"project_id": "f" * 32, "code": "ELSEWHERE"},
        root="freeplaceslists")


class StandIn(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.fail_next = 0
        self.delay = 0.0
        self.calls: list[str] = []
        self.received: list[str] = []

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}{PATH.rstrip('/')}"

    def start(self) -> StandIn:
        threading.Thread(target=self.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        self.shutdown()
        self.server_close()


class Handler(BaseHTTPRequestHandler):
    server: StandIn

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass

    def _send(self, status: int, body: bytes, content_type: str = "text/xml; charset=utf-8"):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _operation(self) -> tuple[str, dict[str, list[str]]]:
        url = urllib.parse.urlsplit(self.path)
        return url.path.removeprefix(PATH), urllib.parse.parse_qs(url.query)

    def _gate(self, operation: str, key: str) -> bool:
        self.server.calls.append(operation)
        if self.server.delay:
            time.sleep(self.server.delay)
        if self.server.fail_next > 0:
            self.server.fail_next -= 1
            self._send(503, b"Service Unavailable", "text/plain")
            return False
        if key != KEY:
            # What an .asmx service does with an exception: HTTP 500 and the message.
            self._send(500, b"System.InvalidOperationException: Invalid organization key.",
                       "text/plain")
            return False
        return True

    def do_GET(self) -> None:  # noqa: N802
        operation, query = self._operation()
        if not self._gate(operation, query.get("organizationWebserviceKey", [""])[0]):
            return
        if operation == "GetAllProjects":
            self._send(200, all_projects())
        elif operation == "GetPartnerProjects":
            if query.get("partnerOrganizationTechnicalKey") != ["TK-PRT"]:
                self._send(500, b"Unknown partner.", "text/plain")
                return
            self._send(200, partner_projects())
        elif operation == "GetAllFreePlaces":
            self._send(200, free_places())
        else:
            self._send(404, b"Unknown operation", "text/plain")

    def do_POST(self) -> None:  # noqa: N802
        operation, _query = self._operation()
        length = int(self.headers.get("Content-Length", "0"))
        form = urllib.parse.parse_qs(self.rfile.read(length).decode())
        if not self._gate(operation, form.get("organizationWebserviceKey", [""])[0]):
            return
        if operation != "ImportVolunteer":
            self._send(404, b"Unknown operation", "text/plain")
            return
        xml = form.get("xmlData", [""])[0]
        self.server.received.append(xml)
        root = fromstring(xml.encode(), forbid_dtd=True)
        errors = [f"Missing {tag}." for tag in ("lastname", "birthdate", "choice1")
                  if not (root.findtext(tag) or "").strip()]
        if errors:
            body = ("<ImportVolunteerResult><Success>false</Success><ImportedIds/>"
                    "<ErrorMessages>" + "".join(f"<string>{e}</string>" for e in errors)
                    + "</ErrorMessages></ImportVolunteerResult>")
        else:
            body = ("<ImportVolunteerResult><Success>true</Success><ImportedIds>"
                    "<string>PLATO-4711</string></ImportedIds><ErrorMessages/>"
                    "</ImportVolunteerResult>")
        self._send(200, ('<?xml version="1.0" encoding="utf-8"?>' + body).encode())
