"""WCAG 2.2 AA, measured: axe-core in a real Chromium over the demo's pages, for every demo role
(and anonymous visitors). No page may break a rule of WCAG 2.0, 2.1 or 2.2 at level A or AA with
a serious or critical impact (docs/accessibility.md).

The pages are browser_pages.py's: one per URL shape each role reaches from the home page. A
shape is checked for the first role in ROLES' order that reaches it (staff, who see the most,
come first; the template is the same for the next role), and every role's home page, whose menu
and figures are its own: that keeps the module near three minutes.

The demo is built once for the module and served by a live server of the module's own (not
pytest-django's `live_server`, whose transactional tests flush the database after each test:
rebuilding the demo for every role would cost twenty seconds each). Each role browses with a
session made the way `client.force_login` makes it, second factor passed.
"""

import datetime
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
import time_machine
from django.conf import settings as django_settings
from django.core.management import call_command
from django.test.client import ClientMixin

from reciprocity.accounts.tests.two_factor import pass_second_factor
from reciprocity.core.tests.axe import axe_violations, describe
from reciprocity.demo.services import demo_build
from reciprocity.demo.tests.browser_pages import ROLES, pages_for, role_client
from reciprocity.demo.tests.test_every_page_answers import _shape

# A chart is an image to assistive technology, named, and points at the table that gives its
# figures (aria-details): the text alternative WCAG 1.1.1 asks for.
CHARTS_WITHOUT_ALTERNATIVE = """() => [...document.querySelectorAll('.chart')].filter(chart => {
  const table = document.getElementById(chart.getAttribute('aria-details') || '');
  return !(chart.getAttribute('role') === 'img' && (chart.getAttribute('aria-label') || '').trim()
           && table && table.tagName === 'TABLE');
}).map(chart => '#' + chart.id)"""

STYLESHEET_APPLIED = """() => [...document.styleSheets].some(
  sheet => (sheet.href || '').includes('/css/reciprocity') && sheet.cssRules.length > 0)"""

PHONE = {"width": 390, "height": 844}
TODAY = datetime.date(2026, 11, 26)
BUILT_AT = datetime.datetime(2026, 11, 26, 9, 0, tzinfo=datetime.UTC)


@dataclass(frozen=True)
class DemoServer:
    url: str
    cookies: dict[str, str]  # role -> session key
    pages: dict[str, list[str]]  # role -> the pages to check


def _share_out(pages: dict[str, list[str]]) -> dict[str, list[str]]:
    """Each URL shape to the first role (in ROLES' order) that reaches it; every role keeps its
    home page."""
    seen: set[str] = set()
    shared = {}
    for role in ROLES:
        shared[role] = [url for url in pages[role] if url == "/" or _shape(url) not in seen]
        seen.update(_shape(url) for url in pages[role])
    return shared


@pytest.fixture(scope="module")
def demo_server(django_db_setup, django_db_blocker) -> Iterator[DemoServer]:  # type: ignore[no-untyped-def]
    from pytest_django.live_server_helper import LiveServer

    original = ClientMixin.force_login

    def force_login(self, user, backend=None):  # type: ignore[no-untyped-def]
        # As the root conftest's autouse fixture does for tests (this fixture runs before it).
        original(self, user, backend)
        pass_second_factor(self, user)

    with django_db_blocker.unblock(), pytest.MonkeyPatch.context() as patch:
        patch.setattr(ClientMixin, "force_login", force_login)
        with time_machine.travel(BUILT_AT, tick=False):
            demo_build(seed=2026, today=TODAY, now=BUILT_AT)
            pages = _share_out({role: pages_for(role) for role in ROLES})
            cookies = {role: role_client(role).cookies[django_settings.SESSION_COOKIE_NAME].value
                       for role in ROLES if role != "anonymous"}
        server = LiveServer("localhost")
        server._live_server_modified_settings.enable()
        try:
            yield DemoServer(url=server.url, cookies=cookies, pages=pages)
        finally:
            server._live_server_modified_settings.disable()
            server.stop()
            # The module's data outlive the tests' transactions: clean them ourselves (the
            # schemes come back through the root conftest's `_schemes_exist`).
            call_command("flush", "--no-input", verbosity=0)


def _sign_in(page, server: DemoServer, role: str) -> None:  # type: ignore[no-untyped-def]
    page.context.clear_cookies()
    if role != "anonymous":
        page.context.add_cookies([{"name": django_settings.SESSION_COOKIE_NAME,
                                   "value": server.cookies[role], "url": server.url}])


@pytest.mark.browser
@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_no_page_breaks_a_serious_wcag_rule(demo_server, page, settings, role):
    # Static files from the package (the live server serves them through the finders): the
    # colours axe measures are the stylesheet's.
    settings.STATICFILES_DIRS = [django_settings.PACKAGE_DIR / "static"]
    _sign_in(page, demo_server, role)
    failures: list[str] = []

    for path in demo_server.pages[role]:
        page.goto(f"{demo_server.url}{path}", wait_until="load")
        # The contrast axe measures is the stylesheet's, not the browser's defaults.
        assert page.evaluate(STYLESHEET_APPLIED), f"{path}: reciprocity.css did not load"
        failures += describe(path, axe_violations(page))
        failures += [f"{path}: {chart} has no text alternative pointing at its table"
                     for chart in page.evaluate(CHARTS_WITHOUT_ALTERNATIVE)]

    # The home page again on a phone, where the menu folds into a button of its own.
    page.set_viewport_size(PHONE)
    page.goto(f"{demo_server.url}/", wait_until="load")
    failures += describe("/ (390 px)", axe_violations(page))

    assert demo_server.pages[role], f"no page to check for {role}"
    assert failures == [], "\n".join(failures)
