"""The wiki in a real browser: create → edit → conflict → diff → rollback."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import logged_in, screenshot, serving


@pytest.fixture(scope="module")
def wiki_live(tmp_path_factory):
    """A server with the wiki only (other plugins' state cannot break this test)."""
    with serving(tmp_path_factory, "wiki-live", ["wiki"]) as site:
        yield site


def sessions(live):
    async def make(site):
        from tisserand.testing.factory import Factory

        factory = Factory(site)
        alice = await factory.member("alice", display_name="Alice Martin")
        bob = await factory.member("bob", display_name="Bob Roy")
        await factory.community("jardins", members={alice: "member", bob: "animator"})
        return await live.open_sessions(site, [alice, bob])

    return live.run(make)


GUIDE = "Bienvenue au jardin.\n\nArrosez le matin.\n\nRécoltez en été.\n"


def test_create_edit_conflict_diff_rollback(wiki_live, new_page):
    live = wiki_live
    secrets = sessions_once(live)
    alice = logged_in(new_page, live, secrets["alice"])

    # Create.
    alice.goto(live.url + "/c/jardins/wiki")
    alice.get_by_role("link", name="New page").click()
    alice.get_by_label("Title").fill("Guide du jardin")
    alice.get_by_label("Text", exact=True).fill(GUIDE + "\nVoir la [[Charte]].\n")
    alice.get_by_role("button", name="Save").click()
    expect(alice).to_have_url(live.url + "/c/jardins/wiki/guide-du-jardin")
    expect(alice.get_by_role("heading", name="Guide du jardin")).to_be_visible()
    expect(alice.get_by_role("status")).to_contain_text("The page is saved.")
    expect(alice.locator("a.wikilink-missing", has_text="Charte")).to_have_attribute(
        "href", "/c/jardins/wiki/-/new?path=charte&title=Charte")
    screenshot(alice, "wiki-1-created")

    # Alice starts editing; meanwhile Bob saves a change to the first paragraph.
    alice.get_by_role("link", name="Edit", exact=True).click()
    bob = logged_in(new_page, live, secrets["bob"])
    bob.goto(live.url + "/c/jardins/wiki/guide-du-jardin/edit")
    body = bob.get_by_label("Text", exact=True)
    body.fill(body.input_value().replace("Bienvenue au jardin.", "Bienvenue au jardin partagé."))
    bob.get_by_label("Summary of your changes").fill("Précision")
    bob.get_by_role("button", name="Save").click()
    expect(bob.get_by_role("status")).to_contain_text("The page is saved.")

    # Alice saves her change to another paragraph: a conflict, with both changes merged.
    text = alice.get_by_label("Text", exact=True)
    text.fill(text.input_value().replace("Récoltez en été.", "Récoltez en été et en automne."))
    alice.get_by_role("button", name="Save").click()
    expect(alice.get_by_role("heading", name="Edit conflict")).to_be_visible()
    merged = alice.get_by_label("Text", exact=True).input_value()
    assert "jardin partagé" in merged and "en été et en automne" in merged
    screenshot(alice, "wiki-2-conflict")
    alice.get_by_label("Summary of your changes").fill("Saisons")
    alice.get_by_role("button", name="Save").click()
    expect(alice.get_by_role("status")).to_contain_text("The page is saved.")
    expect(alice.locator(".wiki-body")).to_contain_text("jardin partagé")
    expect(alice.locator(".wiki-body")).to_contain_text("en été et en automne")

    # History and diff, inline then side by side.
    alice.get_by_role("link", name="History").click()
    expect(alice.locator("tbody tr")).to_have_count(3)
    alice.get_by_role("button", name="Compare the chosen revisions").click()
    expect(alice.locator(".wiki-diff-inline ins")).to_contain_text("et en automne")
    alice.get_by_role("link", name="Show side by side").click()
    expect(alice.locator(".wiki-diff-side td.new ins")).to_contain_text("et en automne")
    screenshot(alice, "wiki-3-diff")

    # Roll back to revision 2 (Bob's text): a fourth revision, nothing erased.
    alice.get_by_role("button", name="Restore revision 2").click()
    expect(alice.get_by_role("status")).to_contain_text("Revision 2 is restored as revision 4.")
    expect(alice.locator(".wiki-body")).not_to_contain_text("en automne")
    expect(alice.locator(".wiki-body")).to_contain_text("jardin partagé")
    alice.get_by_role("link", name="History").click()
    expect(alice.locator("tbody tr")).to_have_count(4)
    expect(alice.locator("tbody tr").first).to_contain_text("Restored revision 2")
    screenshot(alice, "wiki-4-history")


def test_the_wiki_speaks_french(wiki_live, new_page):
    secrets = sessions_once(wiki_live)
    page = logged_in(new_page, wiki_live, secrets["alice"], "fr")
    page.goto(wiki_live.url + "/c/jardins/wiki/-/new")
    expect(page.get_by_role("heading", name="Nouvelle page")).to_be_visible()
    expect(page.get_by_text("Qui peut lire cette page\u00a0?")).to_be_visible()
    expect(page.get_by_label("Titre", exact=True)).to_be_visible()
    screenshot(page, "wiki-5-new-page-fr")


_SECRETS: dict[str, dict[str, str]] = {}


def sessions_once(live):
    if live.url not in _SECRETS:
        _SECRETS[live.url] = sessions(live)
    return _SECRETS[live.url]
