"""Every page of the demo network answers, for every demo role: no server error anywhere a
person can click.

The demo is built once for the module (the real builder, as `reciprocity demo` runs it); for
each role a client starts at the home page and follows the same-site links of every HTML page
and redirect it gets (GET only: every write in the project is a POST). The crawl is bounded so
the module stays well under a minute:

- every procedure page and uploaded document the crawl meets is visited, then every procedure
  the role may see (the selector's scope), reached or not (143 for staff);
- placement pages: the first 30 the crawl meets (staff see about 3,000; the pages differ by
  status and role, which 30 of them from every list and procedure already cover);
- documents (PDF, CSV, XLSX) once for each kind and language, not for every placement (each
  PDF takes WeasyPrint a good fraction of a second, and the kinds share their code);
- any other page shape (the path with its numbers blanked out, plus the names of its query
  parameters) is visited a few times: the seventh page of a list tells nothing the second
  did not.

4xx answers are fine (a viewer refused a form, a volunteer sent to a 404): only 5xx fail.
"""

import datetime
import re
from collections import Counter, deque
from collections.abc import Iterator, Sequence
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urljoin, urlsplit

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from reciprocity.accounts.models import User
from reciprocity.demo.services import DEMO_LOGINS, demo_build
from reciprocity.procedures.models import ProcedureDocument
from reciprocity.procedures.selectors import procedures_visible_to

TODAY = datetime.date(2026, 11, 26)
BUILT_AT = datetime.datetime(2026, 11, 26, 9, 0, tzinfo=datetime.UTC)
ROLES = [username for username, _role, _org in DEMO_LOGINS] + ["anonymous"]

# Per role, a safety bound: the demo's roles stay under it (staff reached 400 with the pairing
# runs' pages, 2026-12-06).
MAX_PAGES = 450
PER_SHAPE = 2
PER_DOCUMENT_SHAPE = 1
PER_PLACEMENT_SHAPE = 30
NEVER = ("/static/", "/media/", "/i18n/", "/accounts/logout/", "/admin/logout/", "/api/")
# Pages every one of which is visited: the procedure pages answered 500 for every role once.
EVERY = re.compile(r"^/procedures/(documents/)?\d+/$")
PLACEMENT = re.compile(r"^/placements/\d+/$")
DOCUMENT = re.compile(r"\.pdf$|\.(csv|xlsx|xml)$|[?&]format=")

PDF = b"%PDF-1.4\n%%EOF\n"
# Pages of the demo's next season each role must reach: the WECCEE pairing run and the
# confirmation of a pair's dissolution (staff), next year's draft quota scenario (coordinator).
NEXT_SEASON = {
    "staff": (r"^/matching/pairing/\d+/$", r"^/matching/pairing/\d+/pairs/\d+/dissolve/$"),
    "coordinator": (r"^/planning/\d+/$",),
}


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self.hrefs.extend(value for name, value in attrs if name == "href" and value)


def _links(url: str, response) -> Iterator[str]:  # type: ignore[no-untyped-def]
    if response.status_code in (301, 302, 303, 307, 308):
        hrefs = [response["Location"]]
    elif response.status_code == 200 and response.get("Content-Type", "").startswith("text/html"):
        parser = _Links()
        parser.feed(response.content.decode())
        hrefs = parser.hrefs
    else:
        return
    for href in hrefs:
        parts = urlsplit(urljoin(f"http://testserver{url}", href))
        if parts.scheme != "http" or parts.netloc != "testserver" or parts.path.startswith(NEVER):
            continue
        yield parts.path + (f"?{parts.query}" if parts.query else "")


def _shape(url: str) -> str:
    parts = urlsplit(url)
    keys = sorted({key for key, _value in parse_qsl(parts.query, keep_blank_values=True)})
    return re.sub(r"\d+", "N", parts.path) + "?" + ",".join(keys)


def crawl(client: Client, *, start: str = "/", also: Sequence[str] = ()) -> dict[str, tuple[int, str]]:
    """Visit what `start` links to, breadth first and bounded: {url: (status, referrer)}."""
    visited: dict[str, tuple[int, str]] = {}
    seen = {start, *also}
    shapes: Counter[str] = Counter()
    first: deque[tuple[str, str]] = deque()  # procedure, placement and uploaded-document pages
    limit = {True: PER_DOCUMENT_SHAPE, False: PER_SHAPE}
    rest: deque[tuple[str, str]] = deque([(start, "")])
    later = deque((url, "(visible to the role)") for url in also)
    followed = 0  # pages reached by following links: bounded; the role's procedures are not
    while first or rest or later:
        if first or rest:
            if followed >= MAX_PAGES:
                first.clear()
                rest.clear()
                continue
            followed += 1
            url, referrer = (first or rest).popleft()
        else:
            url, referrer = later.popleft()
        response = client.get(url)
        visited[url] = (response.status_code, referrer)
        for link in _links(url, response):
            if link in seen:
                continue
            seen.add(link)
            shape = _shape(link)
            shapes[shape] += 1
            if EVERY.match(link) or (PLACEMENT.match(link) and shapes[shape] <= PER_PLACEMENT_SHAPE):
                first.append((link, url))
            elif shapes[shape] <= limit[bool(DOCUMENT.search(link))]:
                rest.append((link, url))
    return visited


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    with django_db_blocker.unblock(), time_machine.travel(BUILT_AT, tick=False):
        demo_build(seed=2026, today=TODAY, now=BUILT_AT)
    yield
    with django_db_blocker.unblock():
        # The module-scoped data outlive the per-test transactions: clean them ourselves (the
        # schemes come back through the root conftest's `_schemes_exist`).
        call_command("flush", "--no-input", verbosity=0)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path


def _client(role: str) -> Client:
    client = Client(raise_request_exception=False)
    if role != "anonymous":
        client.force_login(User.objects.get(username=role))
    return client


def _visible_procedure_pages(role: str) -> list[str]:
    if role == "anonymous":
        return []
    procedures = procedures_visible_to(User.objects.get(username=role)).order_by("pk")
    return [reverse("procedures:detail", args=[pk]) for pk in procedures.values_list("pk", flat=True)]


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_no_page_a_role_reaches_answers_a_server_error(demo, role):
    visible = _visible_procedure_pages(role)

    visited = crawl(_client(role), also=visible)

    errors = [f"{url} (linked from {referrer or 'the start'}): {status}"
              for url, (status, referrer) in visited.items() if status >= 500]
    assert errors == []
    answered = [url for url, (status, _referrer) in visited.items() if status == 200]
    # The crawl really went somewhere: signed-in roles see the menus' pages, and every
    # procedure the role may see was opened.
    assert len(answered) >= (5 if role == "anonymous" else 20)
    assert set(visible) <= set(visited)
    assert all(visited[url][0] == 200 for url in visible)
    # The next season's pages (docs/tour.md, section 7) are reached from the menus.
    for pattern in NEXT_SEASON.get(role, ()):
        assert any(re.match(pattern, url) and status == 200
                   for url, (status, _referrer) in visited.items()), pattern


@pytest.mark.django_db
def test_an_upload_on_a_demo_procedure_lands_on_a_page_that_answers(demo):
    host = User.objects.get(username="host")
    procedure = procedures_visible_to(host).order_by("pk").first()
    assert procedure is not None
    client = _client("host")

    response = client.post(
        reverse("procedures:document_upload", args=[procedure.pk]),
        {"kind": "passport", "expires_on": "2031-01-01",
         "file": SimpleUploadedFile("passport.pdf", PDF, content_type="application/pdf")},
        follow=True,
    )

    assert response.status_code == 200
    document = ProcedureDocument.objects.get(procedure=procedure)
    assert client.get(reverse("procedures:document_download", args=[document.pk])).status_code == 200
