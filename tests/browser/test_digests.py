"""The notifications bell and list in a real browser: the unread count in the header, marking
one and all as read (with JavaScript, and with the plain forms when it is off), the digest
settings page."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import screenshot
from tisserand.testing.live import LiveSite


@pytest.fixture(scope="module")
def digests_live(tmp_path_factory):
    """A server with the digests plugin only."""
    site = LiveSite(tmp_path_factory.mktemp("digests-live"), ["digests"]).start()
    try:
        yield site
    finally:
        site.stop()


def _prepare(live, username, count):
    async def make(site):
        from tisserand.auth import open_session
        from tisserand.notify import notify
        from tisserand.testing.factory import Factory

        factory = Factory(site)
        me = await factory.member(username, display_name="Mia Membre")
        actor = await factory.member(f"{username}-actor", display_name="Arthur Acteur")
        community = await factory.community(f"{username}-place", name="La Place", coordinator=actor,
                                            members={me: "member"})
        for i in range(count):
            await notify(me, "test.ping", f"Arthur waved at you ({i + 1})", url=f"/c/{community.slug}",
                         actor=actor, community=community, site=site)
        secret, _session = await open_session(site.settings, me, "browser")
        return secret

    return live.run(make)


def _bell(page):
    return page.locator('.site-nav a[href="/me/notifications"]')


def test_bell_and_marking_read_with_javascript(digests_live, new_page):
    live = digests_live
    secret = _prepare(live, "mia", 3)
    page = new_page("en")
    page.context.add_cookies([{"name": "tisserand_session", "value": secret, "url": live.url}])

    page.goto(live.url + "/")
    expect(_bell(page)).to_have_text("Notifications (3)")
    _bell(page).click()
    page.wait_for_url("**/me/notifications")
    expect(page.locator(".digests-item.unread")).to_have_count(3)
    screenshot(page, "digests-notifications")

    first = page.locator(".digests-item.unread").first
    first.get_by_role("button", name="Mark as read").click()
    expect(page.locator(".digests-item.unread")).to_have_count(2)
    expect(_bell(page)).to_have_text("Notifications (2)")
    assert page.url.endswith("/me/notifications")  # no reload: the script did it

    page.get_by_role("button", name="Mark all as read").click()
    expect(page.locator(".digests-item.unread")).to_have_count(0)
    expect(_bell(page)).to_have_text("Notifications")
    expect(page.locator("#digests-unread")).to_have_text("Nothing unread.")

    page.wait_for_load_state("networkidle")  # the script's request must finish before reloading
    page.reload()
    expect(_bell(page)).to_have_text("Notifications")
    expect(page.locator(".digests-item.unread")).to_have_count(0)


def test_marking_read_without_javascript(digests_live, chromium):
    live = digests_live
    secret = _prepare(live, "noah", 2)
    context = chromium.new_context(locale="fr", java_script_enabled=False,
                                   extra_http_headers={"Accept-Language": "fr"})
    try:
        context.add_cookies([{"name": "tisserand_session", "value": secret, "url": live.url}])
        page = context.new_page()
        page.goto(live.url + "/me/notifications")
        expect(_bell(page)).to_have_text("Notifications (2)")
        page.locator(".digests-item.unread").first.get_by_role("button", name="Marquer comme lue").click()
        page.wait_for_load_state()
        expect(page.locator(".digests-item.unread")).to_have_count(1)
        expect(_bell(page)).to_have_text("Notifications (1)")
        page.get_by_role("button", name="Tout marquer comme lu").click()
        expect(page.locator(".flash")).to_contain_text("Toutes vos notifications sont marquées comme lues")
        expect(_bell(page)).to_have_text("Notifications")

        page.goto(live.url + "/me/digest")
        page.get_by_label("Chaque mois").check()
        page.get_by_role("button", name="Enregistrer").click()
        expect(page.locator(".flash")).to_contain_text("Vos réglages de résumé sont enregistrés")
        expect(page.get_by_label("Chaque mois")).to_be_checked()
        screenshot(page, "digests-settings-fr")
    finally:
        context.close()


