"""One journey in each language, through the core and every plugin's pages, failing on any
phrase of the other language (outside what members wrote): the detector is built from the
catalogs (``tisserand.testing.language``), so a new untranslated string is caught too."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.browser.conftest import screenshot
from tests.browser.test_communities import sign_up
from tisserand.testing.fixtures import all_installed_plugins
from tisserand.testing.language import foreign_phrases
from tisserand.testing.live import LiveSite

#: What members wrote (names, titles, bodies) is left out of the check.
MEMBER_TEXT = ".prose, .content-title, .community-title, .member-name, [data-member-content]"
CREATE = {"fr": "Créer la communauté", "en": "Create the community"}


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveSite]:
    """Every plugin; members may create communities."""
    site = LiveSite(tmp_path_factory.mktemp("live-languages"), all_installed_plugins())
    config = site.folder / "tisserand.toml"
    config.write_text(config.read_text().replace("[site]\n", "[site]\nmembers_create_communities = true\n", 1))
    site.start()
    try:
        yield site
    finally:
        site.stop()


def visible_text(page: Any) -> str:
    """The page's visible text and labels for people (aria-label, title, placeholder, alt),
    without member-written content."""
    return page.evaluate(
        """(skip) => {
            const root = document.body.cloneNode(true);
            root.querySelectorAll(skip + ', script, style, noscript, template').forEach(e => e.remove());
            const labels = [...root.querySelectorAll('[aria-label],[title],[placeholder],[alt]')]
                .map(e => [e.getAttribute('aria-label'), e.getAttribute('title'),
                           e.getAttribute('placeholder'), e.getAttribute('alt')].filter(Boolean).join(' '));
            return root.innerText + '\\n' + labels.join('\\n') + '\\n' + document.title;
        }""", MEMBER_TEXT)


@pytest.mark.parametrize("locale", ["fr", "en"])
def test_a_journey_speaks_only_the_readers_language(live, new_page, locale):
    slug = f"atelier-{locale}"
    page = new_page(locale)
    sign_up(page, live.url, f"lea-{locale}", "Léa Lemaire")
    page.goto(live.url + "/c/new")
    page.fill("#f-name", f"Atelier {locale}")
    page.fill("#f-slug", slug)
    page.fill("#f-description", "Un **atelier** pour *tout le monde*.")
    page.get_by_role("button", name=CREATE[locale]).click()
    page.wait_for_url(f"{live.url}/c/{slug}")

    paths = ["/", "/c/", f"/c/{slug}", f"/c/{slug}/members", f"/c/{slug}/settings", "/c/new", "/me",
             "/me/notifications", "/me/digest", "/search?q=atelier", "/no-such-page"]
    for plugin in ("forums", "wiki", "meetups", "surveys", "insights", "moderation", "lifecycle"):
        paths.append(f"/c/{slug}/{plugin}")
    problems = {}
    for path in paths:
        page.goto(live.url + path)
        assert page.locator("html").get_attribute("lang") == locale, path
        found = foreign_phrases(visible_text(page), locale)
        if found:
            problems[path] = found
            screenshot(page, f"languages-{locale}{path.replace('/', '-')}")
    assert not problems, f"phrases of the other language on {locale} pages: {problems}"


def test_the_detector_sees_the_other_language():
    assert foreign_phrases("Forgot your password? Mot de passe oublié ?", "en") == ["mot de passe oublié"]
    assert "forgot your password" in foreign_phrases("Mot de passe oublié ? Forgot your password?", "fr")
    assert foreign_phrases("Communautés · Se connecter", "fr") == []
    assert foreign_phrases("Communities · Log in", "en") == []
