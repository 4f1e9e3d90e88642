"""In a real browser, in French and in English: sign up, create a community, invite someone,
who accepts, then sees the community's news in their home feed. Screenshots of each step go
to tests/browser/screenshots/."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.browser.conftest import screenshot
from tisserand.testing.live import LiveSite

WORDS = {
    "fr": {"create": "Créer la communauté", "invite": "Inviter", "accept": "Accepter l'invitation",
           "only_mine": "Seulement mes communautés", "invited": "Vous êtes invité·e", "welcome": "Bienvenue"},
    "en": {"create": "Create the community", "invite": "Invite", "accept": "Accept the invitation",
           "only_mine": "Only my communities", "invited": "You are invited", "welcome": "Welcome"},
}


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveSite]:
    """A core-only site where members may create communities."""
    site = LiveSite(tmp_path_factory.mktemp("live-communities"), [])
    config = site.folder / "tisserand.toml"
    config.write_text(config.read_text().replace("[site]\n", "[site]\nmembers_create_communities = true\n", 1))
    site.start()
    try:
        yield site
    finally:
        site.stop()


def sign_up(page: Any, base: str, username: str, name: str) -> None:
    page.goto(base + "/signup")
    page.fill("#f-display_name", name)
    page.fill("#f-username", username)
    page.fill("#f-email", f"{username}@example.org")
    page.fill("#f-password", "a long enough password")
    page.check("#f-accept")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(base + "/")
    assert name in page.locator("header").inner_text()


@pytest.mark.parametrize("locale", ["fr", "en"])
def test_sign_up_create_invite_join_and_see_the_feed(live, new_page, locale):
    words = WORDS[locale]
    slug = f"jardins-{locale}"
    alice = new_page(locale)
    sign_up(alice, live.url, f"alice-{locale}", "Alice Martin")
    screenshot(alice, f"{locale}-01-signed-up")

    alice.goto(live.url + "/c/new")
    alice.fill("#f-name", f"Jardins partagés {locale}")
    assert alice.input_value("#f-slug") == f"jardins-partages-{locale}"  # suggested by the script
    alice.fill("#f-slug", slug)
    alice.fill("#f-description", "On cultive **ensemble**, on partage les semences.")
    alice.check("#f-join_policy-invite")
    screenshot(alice, f"{locale}-02-create-community")
    alice.get_by_role("button", name=words["create"]).click()
    alice.wait_for_url(f"{live.url}/c/{slug}")
    assert alice.locator("h1").inner_text().startswith(f"Jardins partagés {locale}")
    assert alice.locator(".prose strong").inner_text() == "ensemble"
    screenshot(alice, f"{locale}-03-community-home")

    bob = new_page(locale)
    sign_up(bob, live.url, f"bob-{locale}", "Bob Roy")

    alice.goto(f"{live.url}/c/{slug}/members")
    alice.fill("#f-who", f"bob-{locale}")
    alice.get_by_role("button", name=words["invite"], exact=True).click()
    alice.wait_for_url(f"{live.url}/c/{slug}/members#invited")
    assert "Bob Roy" in alice.locator("#invited").inner_text()
    screenshot(alice, f"{locale}-04-invited")

    bob.goto(live.url + "/")
    bob.get_by_role("link", name=f"Jardins partagés {locale}").click()
    assert words["invited"] in bob.locator("main").inner_text()
    screenshot(bob, f"{locale}-05-invitation")
    bob.get_by_role("button", name=words["accept"]).click()
    assert words["welcome"] in bob.locator(".flash").inner_text()

    async def post(site: Any) -> None:
        from tisserand.content import create_content
        from tisserand.models import Community, Member

        community = await Community.get(slug=slug)
        author = await Member.get(username=f"alice-{locale}")
        await create_content(kind="notes.note", community=community, author=author,
                             title="Semis de printemps", body="Les graines de tomates sont arrivées.")

    live.run(post)
    bob.goto(live.url + "/")
    bob.get_by_role("link", name=words["only_mine"]).click()
    feed = bob.locator("main .feed")
    assert "Semis de printemps" in feed.inner_text()
    assert "Alice Martin" in feed.inner_text()
    screenshot(bob, f"{locale}-06-feed")
    assert bob.locator("html").get_attribute("lang") == locale


def test_directory_and_settings_work_without_javascript(live, chromium):
    context = chromium.new_context(java_script_enabled=False, locale="fr",
                                   extra_http_headers={"Accept-Language": "fr"})
    page = context.new_page()
    try:
        sign_up(page, live.url, "nojs", "Sans Script")
        page.goto(live.url + "/c/new")
        page.fill("#f-name", "Sans script")
        page.fill("#f-slug", "sans-script")
        page.get_by_role("button", name="Créer la communauté").click()
        page.wait_for_url(live.url + "/c/sans-script")
        page.goto(live.url + "/c/sans-script/settings")
        page.check("#f-visibility-private")
        page.locator("#general button[type=submit]").click()
        assert "Les paramètres sont enregistrés" in page.locator(".flash").inner_text()
        page.goto(live.url + "/c/")
        assert "Sans script" in page.locator("main").inner_text()
        screenshot(page, "fr-07-directory-without-javascript")
    finally:
        context.close()


def test_small_screens_keep_everything_reachable(live, chromium):
    context = chromium.new_context(viewport={"width": 375, "height": 740}, locale="en")
    page = context.new_page()
    try:
        page.goto(live.url + "/c/")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 375, "the page scrolls sideways on a phone"
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.className") == "skip-link"
        screenshot(page, "en-08-phone-directory")
    finally:
        context.close()
