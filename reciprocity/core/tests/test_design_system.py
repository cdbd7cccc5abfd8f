"""The design system's fixed assets (docs/design-system.md): icons, manifest, favicon."""

import json

from django.conf import settings

STATIC = settings.PACKAGE_DIR / "static"


def test_favicon_ico_is_a_permanent_redirect_to_the_static_icon(client):
    response = client.get("/favicon.ico")

    assert response.status_code == 301
    assert response["Location"] == "/static/icons/favicon.ico"
    assert (STATIC / "icons" / "favicon.ico").exists()


def test_the_manifest_names_icons_that_exist():
    manifest = json.loads((STATIC / "site.webmanifest").read_text())

    sizes = {icon["sizes"] for icon in manifest["icons"]}
    assert {"192x192", "512x512"} <= sizes
    for icon in manifest["icons"]:
        assert (STATIC / icon["src"]).exists(), icon["src"]


def test_every_page_links_its_icons_and_manifest(client, db):
    body = client.get("/accounts/login/").content.decode()

    for name in ("icons/icon.svg", "icons/icon-32.png", "icons/icon-180.png", "site.webmanifest"):
        assert f"/static/{name}" in body
        assert (STATIC / name).exists()


def _badge(status: str, label: str = "Label") -> str:
    from django.template.loader import render_to_string

    return render_to_string("includes/status_badge.html", {"status": status, "label": label})


def test_a_status_badge_shows_the_label_with_the_tone_of_its_status():
    assert _badge("confirmed", "Confirmed") == (
        '<span class="badge status tone-ok" data-status="confirmed">Confirmed</span>')
    assert "tone-danger" in _badge("cancelled")
    assert "tone-danger" in _badge("refused")
    assert "tone-warn" in _badge("to_do")
    assert "tone-warn" in _badge("queued")
    assert "tone-ok" in _badge("succeeded")
    assert "tone-neutral" in _badge("draft")
    assert "tone-neutral" in _badge("")


def test_the_menu_folds_into_a_details_element(client, db):
    body = client.get("/accounts/login/").content.decode()

    assert '<details class="menu">' in body
    assert body.index("<summary>Menu</summary>") < body.index('aria-label="Main"')
