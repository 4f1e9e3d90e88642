"""The forum in a real browser: create a topic → reply → quote → react → mark solved."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import logged_in, screenshot, serving


@pytest.fixture(scope="module")
def forum_live(tmp_path_factory):
    """A server with the forum only (other plugins' state cannot break this test)."""
    with serving(tmp_path_factory, "forum-live", ["forums"]) as site:
        yield site


def sessions(live):
    async def make(site):
        from tisserand.testing.factory import Factory

        factory = Factory(site)
        alice = await factory.member("alice", display_name="Alice Martin")
        bob = await factory.member("bob", display_name="Bob Roy")
        await factory.community("jardins", members={alice: "member", bob: "member"})
        return await live.open_sessions(site, [alice, bob])

    return live.run(make)


def test_topic_reply_quote_react_solve(forum_live, new_page):
    live = forum_live
    secrets = sessions(live)
    alice = logged_in(new_page, live, secrets["alice"])
    alice.goto(live.url + "/c/jardins/forum")
    alice.get_by_role("link", name="New topic").click()
    alice.get_by_label("Title").fill("Quand semer les tomates ?")
    alice.get_by_label("Message").fill("Je jardine à **Lyon**. Des conseils ?")
    alice.get_by_role("button", name="Preview").click()
    assert alice.locator(".preview-body strong").inner_text() == "Lyon"
    alice.get_by_role("button", name="Publish the topic").click()
    alice.wait_for_url("**/forum/t/*-quand-semer-les-tomates")
    topic_url = alice.url
    assert alice.locator("h2#topic-title").inner_text() == "Quand semer les tomates ?"

    bob = logged_in(new_page, live, secrets["bob"])
    bob.goto(topic_url)
    bob.get_by_label("Message").fill("Après les Saints de glace, mi-mai.")
    bob.get_by_role("button", name="Reply", exact=True).click()
    bob.wait_for_load_state()
    assert bob.locator(".post", has_text="Saints de glace").count() == 1

    alice.goto(topic_url)
    bob_post = alice.locator(".post", has_text="Saints de glace")
    bob_post.get_by_role("link", name="Quote").click()
    textarea = alice.locator("#reply-body")
    alice.wait_for_function("document.querySelector('#reply-body').value.includes('@bob')")
    assert "Saints de glace" in textarea.input_value()
    assert alice.locator(".replying-to").is_visible()
    textarea.press("End")
    textarea.type("Merci, je note !")
    alice.get_by_role("button", name="Reply", exact=True).click()
    alice.wait_for_load_state()
    quoting = alice.locator(".post", has_text="Merci, je note")
    assert quoting.locator("blockquote").count() == 1
    assert "in reply to @bob" in quoting.inner_text()

    bob_post = alice.locator(".post", has_text="Saints de glace").first
    react = bob_post.get_by_role("button", name="React", exact=True)  # a link to a page without the script
    expect(react).to_have_attribute("aria-expanded", "false")
    react.click()
    expect(react).to_have_attribute("aria-expanded", "true")
    menu = bob_post.locator("#react-picker")  # the page's one menu, moved next to this post
    expect(menu).to_be_visible()
    expect(menu.locator("button[value='like']")).to_be_focused()
    menu.locator("button[value='like']").click()
    expect(bob_post.locator(".reactions button[value='like']")).to_have_attribute("aria-pressed", "true")
    expect(menu).to_be_hidden()
    expect(react).to_have_attribute("data-mine", "like")
    alice.wait_for_load_state("networkidle")  # the reaction's request must finish before reloading
    alice.reload()
    liked = alice.locator(".post", has_text="Saints de glace").first
    assert liked.locator(".reactions .count").inner_text() == "1"
    liked.locator(".reactions button[value='like']").focus()  # who reacted shows on focus
    expect(liked.locator(".reactions .who")).to_be_visible()
    assert liked.locator(".reactions .who").inner_text().startswith("Like: ")

    alice.locator(".post", has_text="Saints de glace").first.get_by_role("button", name="Mark as solution").click()
    alice.wait_for_load_state()
    assert alice.locator(".topic-meta .badge.solved").count() == 1
    assert alice.locator(".post.solution", has_text="Saints de glace").count() == 1
    alice.goto(live.url + "/c/jardins/forum")
    assert "Solved" in alice.locator(".topic-row").first.inner_text()
    screenshot(alice, "forums-solved-topic")
