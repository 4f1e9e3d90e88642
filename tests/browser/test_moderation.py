"""In a real browser: an animator works through the review queue (approve a held post, delete
a flagged one after confirming), then silences the troll from the member page, in French and in
English."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.browser.conftest import screenshot
from tisserand.testing.live import LiveSite

WORDS = {
    "fr": {"queue": "File de relecture", "approve": "Approuver", "approved": "Approuvé", "delete": "Supprimer",
           "deleted": "Supprimé", "sanction": "Sanctionner l'auteur ou l'autrice", "record": "Enregistrer la sanction",
           "recorded": "enregistré", "empty": "Rien n'attend de relecture"},
    "en": {"queue": "Review queue", "approve": "Approve", "approved": "Approved", "delete": "Delete",
           "deleted": "Deleted", "sanction": "Sanction the author", "record": "Record the sanction",
           "recorded": "recorded", "empty": "Nothing waits for review"},
}


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveSite]:
    """A site with the moderation plugin only (the queue works on any kind of content)."""
    site = LiveSite(tmp_path_factory.mktemp("live-moderation"), ["moderation"]).start()
    try:
        yield site
    finally:
        site.stop()


def prepare(live: Any, slug: str) -> dict[str, str]:
    """A community with a held insult and a post hidden after three flags; session secrets."""

    async def make(site: Any) -> dict[str, str]:
        from tisserand.auth import open_session
        from tisserand.plugins.moderation.access import place
        from tisserand.plugins.moderation.flags import add
        from tisserand.testing.factory import Factory

        factory = Factory(site)
        animator = await factory.member(f"anim-{slug}", display_name="Anatole Animateur")
        troll = await factory.member(f"troll-{slug}", display_name="Le Troll")
        flaggers = [await factory.member(f"{slug}-m{n}") for n in range(3)]
        community = await factory.community(slug, members={animator: "animator", troll: "member",
                                                           **{m: "member" for m in flaggers}})
        await factory.content(community, troll, title="Coup de gueule", body="Vous êtes tous des C0NNARDS !!!")
        provocation = await factory.content(community, troll, title="À quoi bon ?",
                                            body="Les animateurs ne servent à rien, franchement.")
        for member in flaggers:
            await add(site, provocation, await place(community, member), "troll", "Provocation gratuite")
        secret, _session = await open_session(site.settings, animator, "browser")
        return {"secret": secret, "troll": troll.username}

    return live.run(make)


@pytest.mark.parametrize("locale", ["fr", "en"])
def test_an_animator_works_through_the_review_queue(live, new_page, locale):
    words = WORDS[locale]
    slug = f"atelier-{locale}"
    data = prepare(live, slug)
    page = new_page(locale)
    page.context.add_cookies([{"name": "tisserand_session", "value": data["secret"], "url": live.url}])
    page.goto(f"{live.url}/c/{slug}/moderation")
    assert words["queue"] in page.locator("main h2").first.inner_text()
    items = page.locator("li.queue-item")
    assert items.count() == 2
    held = items.filter(has_text="Coup de gueule")
    assert "connard" in held.inner_text().lower()
    flagged = items.filter(has_text="À quoi bon")
    assert flagged.inner_text().count("Provocation gratuite") == 3
    screenshot(page, f"{locale}-moderation-01-queue")

    held.get_by_role("button", name=words["approve"], exact=True).click()
    assert words["approved"] in page.locator(".flash").inner_text()
    assert page.locator("li.queue-item").count() == 1

    page.once("dialog", lambda dialog: dialog.accept())  # the confirmation added by the script
    item = page.locator("li.queue-item")
    item.get_by_label("Reason" if locale == "en" else "Motif", exact=False).fill("Attaque contre l'équipe")
    item.get_by_role("button", name=words["delete"], exact=True).click()
    assert words["deleted"] in page.locator(".flash").inner_text()
    assert words["empty"] in page.locator("main").inner_text()
    screenshot(page, f"{locale}-moderation-02-queue-empty")

    page.goto(f"{live.url}/c/{slug}/moderation/members/{data['troll']}")
    until = page.locator(".custom-until")
    page.select_option("#f-kind", "silence")
    page.select_option("#f-duration", "24h")
    assert until.is_hidden()  # shown only for "until a date"
    page.select_option("#f-duration", "custom")
    assert until.is_visible()
    page.select_option("#f-duration", "24h")
    page.fill("#f-reason", "Attaques répétées contre l'équipe d'animation.")
    page.get_by_role("button", name=words["record"]).click()
    assert words["recorded"] in page.locator(".flash").inner_text()
    assert "Attaques répétées" in page.locator(".sanction.running").inner_text()
    screenshot(page, f"{locale}-moderation-03-silenced")


def test_the_queue_works_with_the_keyboard(live, new_page):
    data = prepare(live, "clavier")
    page = new_page("fr")
    page.context.add_cookies([{"name": "tisserand_session", "value": data["secret"], "url": live.url}])
    page.goto(f"{live.url}/c/clavier/moderation")
    button = page.locator("li.queue-item").first.get_by_role("button", name="Approuver", exact=True)
    button.focus()
    page.keyboard.press("Enter")
    assert "Approuvé" in page.locator(".flash").inner_text()
