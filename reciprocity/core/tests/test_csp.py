"""Content Security Policy: the header on every page, and templates that need no exception
(no inline script, no inline event handler, no <style> element in a page)."""

import re
from pathlib import Path

import pytest
from django.conf import settings as django_settings

from reciprocity.accounts.tests.factories import MembershipFactory, StaffFactory

TEMPLATES = Path(django_settings.PACKAGE_DIR) / "templates"
# Rendered to PDF by WeasyPrint, never sent to a browser: their <style> element is read by
# WeasyPrint, which no CSP governs.
PDF_TEMPLATES = {"balance/annual_pdf.html"}
PDF_FOLDERS = ("documents/",)


def _policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


def _assert_strict(policy: dict[str, list[str]]) -> None:
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["img-src"] == ["'self'", "data:"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["form-action"] == ["'self'"]
    assert not any("unsafe-inline" in value or "unsafe-eval" in value
                   for directive, values in policy.items() if directive.startswith("script")
                   for value in values)


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/", "/accounts/login/", "/missions/", "/api/v1/docs"])
def test_public_pages_carry_the_policy(client, url):
    response = client.get(url)
    assert response.status_code == 200
    _assert_strict(_policy(response))


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/balance/", "/balance/report/", "/organisations/",
                                 "/admin/"])
def test_signed_in_pages_carry_the_policy(client, url):
    client.force_login(StaffFactory(is_superuser=True))
    response = client.get(url)
    assert response.status_code == 200
    _assert_strict(_policy(response))


@pytest.mark.django_db
def test_member_balance_page_carries_the_policy(client):
    client.force_login(MembershipFactory().user)
    response = client.get("/balance/")
    assert response.status_code == 200
    _assert_strict(_policy(response))


def _page_templates() -> list[Path]:
    return [
        path for path in sorted(TEMPLATES.rglob("*.html"))
        if (rel := path.relative_to(TEMPLATES).as_posix()) not in PDF_TEMPLATES
        and not rel.startswith(PDF_FOLDERS)
    ]


SCRIPT_TAG = re.compile(r"<script\b[^>]*>", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.IGNORECASE)


def test_no_template_has_an_inline_script():
    offenders = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        for tag in SCRIPT_TAG.findall(path.read_text()):
            if not re.search(r"\ssrc\s*=", tag, re.IGNORECASE):
                offenders.append(f"{path.relative_to(TEMPLATES)}: {tag}")
    assert offenders == []


def test_no_page_template_has_an_event_handler_or_javascript_url():
    offenders = []
    for path in _page_templates():
        text = path.read_text()
        offenders += [f"{path.relative_to(TEMPLATES)}: {m}" for m in EVENT_HANDLER.findall(text)]
        if "javascript:" in text.lower():
            offenders.append(f"{path.relative_to(TEMPLATES)}: javascript: URL")
    assert offenders == []


def test_no_page_template_has_a_style_element():
    # style-src 'self' refuses <style> elements: a page needing one would be unstyled silently.
    offenders = [str(path.relative_to(TEMPLATES)) for path in _page_templates()
                 if re.search(r"<style\b", path.read_text(), re.IGNORECASE)]
    assert offenders == []


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_api_docs_render_under_the_policy(live_server, page):
    console: list[str] = []
    page.on("console", lambda message: console.append(message.text))

    response = page.goto(f"{live_server.url}/api/v1/docs")

    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.locator(".swagger-ui .info").wait_for(timeout=10_000)
    assert [text for text in console if "Content Security Policy" in text] == []
