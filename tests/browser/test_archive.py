"""In a real browser: a coordinator plans a community's life (season, objectives, end), marks an
objective reached, archives the community and lands on its celebration page, then reopens it;
the home panel shows the current season; the exported HTML snapshot opens from the disk, with
no server. Screenshots go to tests/browser/screenshots/."""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import screenshot
from tisserand.testing.live import LiveSite

SLUG = "jardins"


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveSite]:
    """A site with every installed plugin, a community with content, a current season and a
    planned end; ``live.sessions`` holds a session cookie per member."""
    site = LiveSite(tmp_path_factory.mktemp("live-archive"), _plugins()).start()

    async def setup(running: Any) -> dict[str, str]:
        from tisserand.auth import open_session
        from tisserand.communities import create_community
        from tisserand.models import Community
        from tisserand.plugins.archive import lifecycle
        from tisserand.testing.factory import Factory

        factory = Factory(running)
        camille = await factory.member("camille", display_name="Camille Tremblay")
        ines = await factory.member("ines", display_name="Inès Lefebvre")
        community = await create_community(camille, slug=SLUG, name="Jardins partagés",
                                           description="On cultive ensemble.", site=running)
        await factory.add_member(community, ines, "member")
        community = await Community.get(id=community.id)
        topic = await factory.content(community, ines, kind="forum.topic", title="Semis d'automne",
                                      body="Qui a des graines de **fèves** ?")
        await factory.content(community, camille, kind="forum.post", body="Moi !", parent=topic)
        on = lifecycle.today(running)
        await lifecycle.create_season(community, camille, name="Automne au jardin",
                                      starts_on=on - timedelta(days=10), ends_on=on + timedelta(days=25),
                                      objectives=["Écrire le guide des semis", "Planter les fèves"])
        await lifecycle.set_end(running, community, camille, on + timedelta(days=120))
        sessions = {}
        for member in (camille, ines):
            secret, _session = await open_session(running.settings, member, "browser tests")
            sessions[member.username] = secret
        return sessions

    site.sessions = site.run(setup)  # type: ignore[attr-defined]
    try:
        yield site
    finally:
        site.stop()


def _plugins() -> list[str]:
    from tisserand.testing.fixtures import all_installed_plugins

    return all_installed_plugins()


def logged_in(live: LiveSite, new_page: Any, username: str, locale: str = "en") -> Any:
    page = new_page(locale)
    page.context.add_cookies([{"name": "tisserand_session", "value": live.sessions[username],  # type: ignore[attr-defined]
                               "url": live.url}])
    return page


def test_the_home_panel_shows_the_current_season_and_days_left(live, new_page):
    page = logged_in(live, new_page, "ines")
    page.goto(f"{live.url}/c/{SLUG}")
    panel = page.locator(".archive-panel")
    assert "Automne au jardin" in panel.inner_text()
    assert "25 days left" in panel.inner_text()
    assert "The community ends in 120 days" in panel.inner_text()
    assert panel.locator(f"a[href='/c/{SLUG}/legacy']").count() == 1
    screenshot(page, "archive-en-01-home-panel")


def test_plan_mark_archive_celebrate_and_reopen(live, new_page):
    page = logged_in(live, new_page, "camille")
    page.goto(f"{live.url}/c/{SLUG}/lifecycle")
    assert page.locator("h2", has_text="Life plan").count() == 1
    with page.expect_navigation():
        page.get_by_role("button", name="Mark reached : Écrire le guide des semis").click()
    assert "Well done: the objective is reached!" in page.locator("main").inner_text()
    assert page.locator(".objective.reached", has_text="Écrire le guide des semis").count() == 1

    page.locator("#new-season summary").click()
    page.fill("#f-name", "Hiver au chaud")
    page.fill("#f-starts_on", "2099-01-01")
    page.fill("#f-ends_on", "2099-03-31")
    page.fill("#f-objectives", "Réparer les outils\nCommander les graines")
    with page.expect_navigation():
        page.get_by_role("button", name="Add the season").click()
    assert page.locator("article.season", has_text="Hiver au chaud").count() == 1
    screenshot(page, "archive-en-02-life-plan")

    page.get_by_role("button", name="Archive the community").click()  # the browser asks to tick the box
    assert page.url.startswith(f"{live.url}/c/{SLUG}/lifecycle")
    page.check("#f-confirm")
    page.fill("#f-reason", "Une belle saison, merci à toutes et à tous")
    page.get_by_role("button", name="Archive the community").click()
    page.wait_for_url(f"{live.url}/c/{SLUG}/legacy")
    text = page.locator("main").inner_text()
    assert "Here is what it achieved" in text and "What Jardins partagés achieved" in text
    assert page.locator("svg.activity-chart[role=img]").count() == 1
    assert "Inès Lefebvre" in text and "1/4" in text  # one of four objectives reached
    screenshot(page, "archive-en-03-legacy")

    page.goto(f"{live.url}/c/{SLUG}")
    assert "Archived" in page.locator("h1").inner_text()
    assert "See what the community achieved" in page.locator(".archive-panel").inner_text()

    page.goto(f"{live.url}/c/{SLUG}/lifecycle")
    with page.expect_navigation():
        page.get_by_role("button", name="Reopen the community").click()
    assert "The community is open again." in page.locator("main").inner_text()


def test_the_life_plan_speaks_french(live, new_page):
    page = logged_in(live, new_page, "camille", "fr")
    page.goto(f"{live.url}/c/{SLUG}/lifecycle")
    text = page.locator("main").inner_text()
    assert "Plan de vie" in text and "Saisons et objectifs" in text and "Fin prévue" in text
    page.goto(f"{live.url}/c/{SLUG}/legacy")
    assert "En chiffres" in page.locator("main").inner_text()
    screenshot(page, "archive-fr-01-legacy")


def test_the_exported_snapshot_opens_from_the_disk(live, new_page, tmp_path):
    async def export(running: Any) -> Path:
        from tisserand.models import Community
        from tisserand.plugins.archive.export import export_community

        path = tmp_path / "jardins.zip"
        await export_community(running, await Community.get(slug=SLUG), path)
        return path

    bundle = live.run(export)
    folder = tmp_path / "unzipped"
    with zipfile.ZipFile(bundle) as archive:
        archive.extractall(folder)
    page = new_page("fr")
    page.goto((folder / "html" / "index.html").as_uri())
    assert "Jardins partagés" in page.title()
    assert page.locator("svg.activity-chart").count() == 1
    page.get_by_role("link", name="Semis d'automne").first.click()
    assert "Moi !" in page.locator("main").inner_text()
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background == "rgb(251, 250, 247)"  # the stylesheet loaded from the folder
    screenshot(page, "archive-snapshot-topic")
    page.get_by_role("link", name="Jardins partagés").first.click()
    assert page.url.endswith("/html/index.html")
