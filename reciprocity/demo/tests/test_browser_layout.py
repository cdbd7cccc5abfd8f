"""Every demo role's pages in a real Chromium, on a 390 px phone and a 1280 px laptop: the page
never scrolls sideways (a wide table scrolls inside itself, css/reciprocity.css), and nothing
the page asks for is missing (the favicon was a 404 on every page). And the catalogue's first
load stays light (docs/design-system.md, "Page weight").

The pages are browser_pages.py's: one per URL shape each role reaches from the home page. Each
page is loaded once at 390 px, measured, then widened to 1280 px and measured again (the layout
reflows without a reload), which keeps the whole walk to a few minutes.
"""

import datetime

import pytest
import time_machine
from django.conf import settings as django_settings

from reciprocity.demo.services import demo_build
from reciprocity.demo.tests.browser_pages import ROLES, pages_for, session_cookie

TODAY = datetime.date(2026, 11, 26)
BUILT_AT = datetime.datetime(2026, 11, 26, 9, 0, tzinfo=datetime.UTC)
PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1280, "height": 800}
CATALOGUE_BUDGET = 150 * 1024  # bytes transferred by the first load of /missions/, no chart
WIDTH_SCRIPT = "() => [document.documentElement.scrollWidth, window.innerWidth]"
# The elements that stick out of the viewport, to say what to fix.
CULPRITS_SCRIPT = """() => {
  const out = [];
  for (const el of document.querySelectorAll('body *')) {
    const r = el.getBoundingClientRect();
    if (r.right > window.innerWidth + 1 && r.width > 0) {
      const cls = typeof el.className === 'string' && el.className.trim()
        ? '.' + el.className.trim().split(/\\s+/).join('.') : '';
      out.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + cls + ' ' + Math.round(r.right));
    }
  }
  return out.slice(0, 4);
}"""


@pytest.fixture
def demo(settings):  # type: ignore[no-untyped-def]
    # Static files from the package (the live server serves them through the finders).
    settings.STATICFILES_DIRS = [django_settings.PACKAGE_DIR / "static"]
    with time_machine.travel(BUILT_AT, tick=False):
        demo_build(seed=2026, today=TODAY, now=BUILT_AT)


def _missing(response) -> str | None:  # type: ignore[no-untyped-def]
    """A file the page asked for and did not get (icons, style sheets, scripts)."""
    if response.status >= 400 and ("/static/" in response.url or "favicon" in response.url):
        return f"{response.status} {response.url}"
    return None


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_no_demo_page_scrolls_sideways_on_a_phone(demo, live_server, page):
    missing: list[str] = []
    page.on("response", lambda response: missing.append(_missing(response) or ""))
    overflowing: list[str] = []
    visited = 0
    for role in ROLES:
        page.context.clear_cookies()
        page.context.add_cookies(session_cookie(role, live_server.url))  # type: ignore[arg-type]
        for url in pages_for(role):
            page.set_viewport_size(PHONE)
            page.goto(f"{live_server.url}{url}", wait_until="load")
            visited += 1
            for viewport in (PHONE, LAPTOP):
                page.set_viewport_size(viewport)
                document, window = page.evaluate(WIDTH_SCRIPT)
                if document > window:
                    culprits = page.evaluate(CULPRITS_SCRIPT)
                    overflowing.append(f"{role} {url} at {window}px: {document}px wide {culprits}")

    assert visited >= 100  # every role's pages were walked (about 190 in the demo)
    assert overflowing == []
    assert [line for line in missing if line] == []


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_catalogue_first_load_stays_under_its_budget(demo, live_server, page):
    transferred: dict[str, int] = {}

    def count(request) -> None:  # type: ignore[no-untyped-def]
        sizes = request.sizes()
        transferred[request.url] = sizes["responseHeadersSize"] + sizes["responseBodySize"]

    page.on("requestfinished", count)
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/missions/", wait_until="load")

    total = sum(transferred.values())
    assert not any("echarts" in url for url in transferred)  # no chart on the catalogue
    assert total <= CATALOGUE_BUDGET, sorted(transferred.items(), key=lambda item: -item[1])
