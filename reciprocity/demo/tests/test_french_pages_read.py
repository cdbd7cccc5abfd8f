"""The demo's pages read as French for every role: no ISO date and no raw code in visible text
(issue 16: one date format per language, labels never codes).

The demo is built once for the module and crawled as in test_every_page_answers.py (its link
finder and page shapes), in French, with a smaller bound: the first HTML pages of each shape,
at most MAX_PAGES per role. Visible text is what a reader sees: tags, attributes (so input
values, `datetime=` and links), scripts, styles and <code> identifiers are left out. Downloads are not read: CSV,
XLSX and API keep ISO dates and codes on purpose (they are data).
"""

import re
from collections import Counter, deque
from html.parser import HTMLParser

import pytest
from django.apps import apps
from django.conf import settings
from django.test import Client

from reciprocity.accounts.models import User
from reciprocity.agreements.models import Agreement
from reciprocity.demo.tests.test_every_page_answers import DOCUMENT, ROLES, _links, _shape, demo  # noqa: F401
from reciprocity.schemes.models import SchemeCode

MAX_PAGES = 45
PER_SHAPE = 1
ISO_DAY = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
RECORDS_AS_STORED = ("/audit/",)


class _VisibleText(HTMLParser):
    # <code> marks an identifier shown on purpose as one (an agreement's reference, which the
    # import files name it by; a rule file's key).
    HIDDEN = {"script", "style", "template", "textarea", "code"}

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.HIDDEN:
            self._hidden += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in self.HIDDEN and self._hidden:
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _VisibleText()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


def known_codes() -> set[str]:
    """Scheme codes, every status-like choice value with an underscore, the demo's agreement
    references: none may reach a reader."""
    codes = set(SchemeCode.values)
    for model in apps.get_models():
        if not model.__module__.startswith("reciprocity."):
            continue
        for field in model._meta.get_fields():
            for value, _label in getattr(field, "flatchoices", None) or ():
                if isinstance(value, str) and "_" in value and value.islower():
                    codes.add(value)
    codes |= set(Agreement.objects.values_list("reference", flat=True))
    return codes


def _code_pattern(codes: set[str]) -> re.Pattern[str]:
    words = "|".join(re.escape(code) for code in sorted(codes, key=len, reverse=True))
    return re.compile(rf"(?<![\w/.-])(?:{words})(?![\w/.-])")


def french_pages(role: str) -> dict[str, str]:
    """{url: visible text} of the first pages of each shape the role reaches, in French."""
    client = Client(raise_request_exception=False, HTTP_ACCEPT_LANGUAGE="fr")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    if role != "anonymous":
        user = User.objects.get(username=role)
        user.preferred_language = "fr"
        user.save(update_fields=["preferred_language"])
        client.force_login(user)
    texts: dict[str, str] = {}
    shapes: Counter[str] = Counter()
    seen = {"/"}
    queue = deque(["/"])
    while queue and len(texts) < MAX_PAGES:
        url = queue.popleft()
        response = client.get(url)
        if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
            texts[url] = visible_text(response.content.decode())
        for link in _links(url, response):
            if link in seen or DOCUMENT.search(link):
                continue
            seen.add(link)
            shapes[_shape(link)] += 1
            if shapes[_shape(link)] <= PER_SHAPE:
                queue.append(link)
    return texts


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_french_pages_show_no_iso_date_and_no_code(demo, role):  # noqa: F811
    codes = _code_pattern(known_codes())

    pages = french_pages(role)

    assert len(pages) >= (3 if role == "anonymous" else 10)
    dates = {url: ISO_DAY.findall(text)[:3] for url, text in pages.items() if ISO_DAY.search(text)}
    # The audit log (staff only) records stored values as they were, codes included; its dates
    # are written in words like everywhere else.
    leaks = {url: sorted(set(codes.findall(text)))[:5] for url, text in pages.items()
             if codes.search(text) and not url.startswith(RECORDS_AS_STORED)}
    assert dates == {}
    assert leaks == {}


def test_visible_text_leaves_out_attributes_inputs_and_scripts():
    html = ('<p title="2027-01-01">Le <time datetime="2027-02-05">5 février 2027</time></p>'
            '<input type="date" value="2027-02-05"><script>var d = "2027-02-05";</script>')

    assert visible_text(html) == "Le 5 février 2027"
