"""Representative pages of the demo, per role, for the browser checks (layout at 390 px and
1280 px in test_browser_layout.py, axe-core for accessibility).

A real browser takes a good fraction of a second per page, so the browser checks cannot walk
the ~1,600 pages test_every_page_answers.py crawls. They visit instead **one page per URL
shape** (the path with its numbers blanked, plus the names of its query parameters: two
placements differ by their data, not by their template), found by the same breadth-first crawl
from the home page, following the same same-site links, with a test Client: HTML pages that
answer 200 only (documents, exports and redirects are not pages a layout can break).

Usage, in a test that has built the demo (`demo_build(seed=2026, today=TODAY)`, as
test_every_page_answers.py does) and may use the database:

    pages = representative_pages()          # {"staff": ["/", "/missions/", ...], ...}
    cookies = session_cookie("host", live_server.url)   # signed in, second factor passed

`force_login` passes the second factor in tests (root conftest), so the session cookie of a
test Client signs a browser in as the role.
"""

from collections import deque

from django.conf import settings
from django.test import Client

from reciprocity.accounts.models import User
from reciprocity.demo.services import DEMO_LOGINS
from reciprocity.demo.tests.test_every_page_answers import DOCUMENT, _links, _shape

ROLES = [username for username, _role, _org in DEMO_LOGINS] + ["anonymous"]

# Per role: enough for every page shape the demo's roles reach (staff see the most, about 70
# shapes), small enough that two viewports over every role stay within a few minutes.
MAX_PAGES_PER_ROLE = 80
# Never opened in a browser: files, and pages that are the same template whatever the id.
SKIP = ("/admin/", "/api/")


def role_client(role: str) -> Client:
    """A test Client signed in as the demo role (second factor passed); anonymous if
    role == "anonymous"."""
    client = Client(raise_request_exception=False)
    if role != "anonymous":
        client.force_login(User.objects.get(username=role))
    return client


def session_cookie(role: str, base_url: str) -> list[dict[str, str]]:
    """Playwright cookies signing a browser in as `role` on `base_url` ([] for anonymous)."""
    if role == "anonymous":
        return []
    client = role_client(role)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    return [{"name": cookie.key, "value": cookie.value, "url": base_url}]


def pages_for(role: str, *, limit: int = MAX_PAGES_PER_ROLE) -> list[str]:
    """One page per URL shape the role reaches from the home page, breadth first, in the
    order met (HTML answered 200 only), at most `limit`."""
    client = role_client(role)
    pages: list[str] = []
    seen_urls = {"/"}
    seen_shapes = {_shape("/")}
    queue: deque[str] = deque(["/"])
    while queue and len(pages) < limit:
        url = queue.popleft()
        response = client.get(url)
        html = response.status_code == 200 and response.get(
            "Content-Type", "").startswith("text/html")
        if html:
            pages.append(url)
        for link in _links(url, response):
            if link in seen_urls or link.startswith(SKIP) or DOCUMENT.search(link):
                continue
            seen_urls.add(link)
            shape = _shape(link)
            if shape in seen_shapes:
                continue
            seen_shapes.add(shape)
            queue.append(link)
    return pages


def representative_pages(roles: list[str] | None = None) -> dict[str, list[str]]:
    """{role: [url, ...]} for every demo role and the anonymous visitor."""
    return {role: pages_for(role) for role in (roles or ROLES)}
