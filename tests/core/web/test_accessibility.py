"""The accessibility statement (``/accessibility``), its link in every footer, and the favicon."""

from __future__ import annotations

import json
from importlib import resources

from tisserand.testing.client import TestClient
from tisserand.web.app import create_app


def _shipped_audit() -> dict:
    return json.loads(resources.files("tisserand").joinpath("data/accessibility_audit.json").read_text("utf-8"))


async def test_the_statement_shows_the_last_audit_in_the_readers_language(client):
    audit = _shipped_audit()
    assert audit["violations"] == 0 and audit["pages"] > 100
    page = await client.get("/accessibility", headers={"Accept-Language": "fr"})
    assert page.status_code == 200
    assert "Déclaration d’accessibilité" in page.text
    assert "WCAG 2.1 AA, WCAG 2.2 AA" in page.text
    assert f'<time datetime="{audit["date"]}">' in page.text
    assert f"<dd>{audit['pages']:,}</dd>".replace(",", "\u202f") in page.text or \
        f"<dd>{audit['pages']}</dd>" in page.text
    english = await client.get("/accessibility", headers={"Accept-Language": "en"})
    assert "Accessibility statement" in english.text and "Pages audited" in english.text


async def test_every_page_links_to_the_statement(client):
    for path in ("/", "/login", "/c/", "/no-such-page"):
        page = await client.get(path, headers={"Accept-Language": "en"})
        assert '<a href="/accessibility">Accessibility</a>' in page.text, path


async def test_the_site_writes_its_own_part(site):
    site.settings.site.accessibility_contact = "accessibilite@example.org"
    folder = site.settings.path("templates")
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "accessibility_site.html").write_text(
        "<h2>État de conformité</h2><p>Partiellement conforme au RGAA 4.1.</p>", encoding="utf-8")
    async with TestClient.for_app(create_app(site, run_scheduler=False)) as http:
        page = await http.get("/accessibility")
        assert '<a href="mailto:accessibilite@example.org">' in page.text
        assert "Partiellement conforme au RGAA 4.1." in page.text


async def test_favicon_in_svg_png_and_ico(client):
    page = await client.get("/")
    assert 'rel="icon" href="/static/theme/favicon.svg" type="image/svg+xml"' in page.text
    assert 'href="/static/theme/favicon.png"' in page.text
    svg = await client.get("/static/theme/favicon.svg")
    assert svg.status_code == 200 and "<svg" in svg.text
    png = await client.get("/static/theme/favicon.png")
    assert png.content.startswith(b"\x89PNG")
    ico = await client.get("/favicon.ico")
    assert ico.status_code == 200 and ico.headers["content-type"] == "image/x-icon"
    assert ico.content[:4] == b"\x00\x00\x01\x00"
