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
