"""French and English: the locale from the member, then the visitor's choice, then
Accept-Language, then the site default; dates and numbers for the locale; complete catalogs."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from tisserand.models import Community
from tisserand.permissions import CORE_PERMISSIONS
from tisserand.web.errors import TITLES

ROOT = Path(__file__).resolve().parents[3]
CATALOGS = ROOT / "core" / "locale"
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2)}
PLACEHOLDER = re.compile(r"{[a-z_]*}")


async def test_accept_language_picks_french(client):
    page = await client.get("/c/", headers={"Accept-Language": "fr-CA,fr;q=0.9,en;q=0.5"})
    assert '<html lang="fr">' in page.text
    assert "Communautés" in page.text and "Se connecter" in page.text
    english = await client.get("/c/", headers={"Accept-Language": "en-GB"})
    assert '<html lang="en">' in english.text and "Log in" in english.text


async def test_site_default_when_the_browser_says_nothing_we_speak(site, client):
    site.settings.site.default_locale = "fr"
    page = await client.get("/", headers={"Accept-Language": "de-DE"})
    assert '<html lang="fr">' in page.text


async def test_member_choice_beats_the_browser(client, factory):
    await client.login_as(await factory.member("alice", locale="fr"))
    page = await client.get("/me", headers={"Accept-Language": "en"})
    assert "Mon compte" in page.text and "Mot de passe" in page.text


async def test_visitor_choice_beats_the_browser(client):
    await client.post_form("/language", {"locale": "fr", "next": "/"})
    page = await client.get("/login", headers={"Accept-Language": "en"})
    assert "Mot de passe oublié\u202f?" in page.text


async def test_numbers_and_dates_follow_the_locale(client, factory):
    alice = await factory.member("alice")
    community = await factory.community("grand", name="Grand réseau", coordinator=alice)
    await Community.filter(id=community.id).update(member_count=1234)
    french = await client.get("/c/", headers={"Accept-Language": "fr"})
    assert "1\u202f234 membres" in french.text
    english = await client.get("/c/", headers={"Accept-Language": "en"})
    assert "1,234 members" in english.text
    year = str(alice.created_at.year)
    profile_fr = await client.get("/u/alice", headers={"Accept-Language": "fr"})
    month_fr = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
                "octobre", "novembre", "décembre"][alice.created_at.month - 1]
    assert re.search(rf"Membre depuis le \d+ {month_fr} {year}", profile_fr.text)
    profile_en = await client.get("/u/alice", headers={"Accept-Language": "en"})
    assert re.search(rf"Member since \w+ \d+, {year}", profile_en.text)


async def test_relative_times_and_plurals_in_french(client, factory):
    from tests.core.web.helpers import note

    alice = await factory.member("alice")
    community = await factory.community("lieu", coordinator=alice)
    topic = await note(factory, community, alice, title="Sujet")
    for _ in range(2):
        await factory.content(community, alice, kind="probe.note", body="réponse", parent=topic)
    page = await client.get("/", headers={"Accept-Language": "fr"})
    assert "2 réponses" in page.text and "il y a" in page.text


async def test_error_pages_are_translated(client):
    page = await client.get("/c/nope", headers={"Accept-Language": "fr"})
    assert page.status_code == 404
    assert "Page introuvable" in page.text and "Cette communauté n'existe pas." in html.unescape(page.text)
    api = await client.get("/api/v1/communities/nope", headers={"Accept-Language": "fr"})
    assert api.json()["error"]["message"] == "Cette communauté n'existe pas."


def _core_messages() -> set[str | tuple[str, str]]:
    found: set[str | tuple[str, str]] = set()
    sources = [(ROOT / "core", [("testing/**", "ignore"), ("migrations/**", "ignore"), ("**.py", "python")]),
               (ROOT / "themes" / "default" / "templates", [("**.html", "jinja2"), ("**.txt", "jinja2")])]
    for folder, mapping in sources:
        for _file, _line, message, _comments, _context in extract_from_dir(str(folder), mapping, keywords=KEYWORDS):
            found.add(tuple(message) if isinstance(message, list | tuple) else message)
    found.update(TITLES.values())
    found.update(p.description for p in CORE_PERMISSIONS)
    return found


def _catalog(language: str) -> dict[str | tuple[str, str], str | list[str]]:
    with (CATALOGS / language / "LC_MESSAGES" / "tisserand.po").open("rb") as handle:
        catalog = read_po(handle, locale=language)
    entries: dict[str | tuple[str, str], str | list[str]] = {}
    for message in catalog:
        if message.id and not message.fuzzy:
            key = tuple(message.id) if isinstance(message.id, list | tuple) else message.id
            entries[key] = list(message.string) if isinstance(message.string, list | tuple) else message.string
    return entries


@pytest.mark.parametrize("language", ["fr", "en"])
def test_every_core_string_is_in_the_catalogs(language):
    catalog = _catalog(language)
    missing = [m for m in _core_messages() if not catalog.get(m)]
    assert not missing, f"untranslated in {language}: {missing}"


def test_french_keeps_placeholders_and_typography():
    problems = []
    for key, value in _catalog("fr").items():
        sources = key if isinstance(key, tuple) else (key,)
        for text in value if isinstance(value, list) else [value]:
            if set(PLACEHOLDER.findall(text)) - set().union(*[set(PLACEHOLDER.findall(s)) for s in sources]):
                problems.append(("placeholder", key, text))
            if re.search(r" [:;!?»]|« ", text) or re.search(r"[“”]", text):
                problems.append(("typography", key, text))
    assert not problems, problems[:5]
