"""Moderation holds, locked topics, archived and private communities, announcements, the feed."""

from __future__ import annotations

import types

import feedparser
import pytest

from tests.plugins.forums.conftest import make_forum
from tisserand import hookimpl
from tisserand.communities import archive_community
from tisserand.content import Verdict, set_status
from tisserand.models import Community, Content, Notification


def holding_plugin(word: str) -> types.SimpleNamespace:
    """A stand-in for the moderation plugin: holds any text containing ``word``."""

    @hookimpl
    def content_check(content, author, community):
        if word in content.body:
            return Verdict.hold("A moderator will read it first.")
        return None

    return types.SimpleNamespace(content_check=content_check)


@pytest.fixture
async def site(site_factory):
    """The forum, and a stand-in moderation plugin that holds "suspicious" texts."""
    return await site_factory(enabled=["forums"], extra_plugins={"holder": holding_plugin("suspicious")})


async def test_held_post_shows_awaiting_review_to_its_author_only(client, forum):
    topic = await forum.topic(forum.alice)
    await client.login_as(forum.bob)
    response = await client.post_form(f"{forum.url}/t/{topic.id}/reply", {"body": "A suspicious link"})
    assert response.status_code == 303 and "held=1" in response.headers["location"]
    page = (await client.get(response.headers["location"].split("#")[0], follow_redirects=True)).text
    assert "Awaiting review" in page and "A suspicious link" in page
    assert "a moderator will review it" in page
    await client.login_as(forum.alice)
    other = (await client.get(f"{forum.url}/t/{topic.id}-x", follow_redirects=True)).text
    assert "A suspicious link" not in other
    await client.login_as(forum.animator)
    staff = (await client.get(f"{forum.url}/t/{topic.id}-x", follow_redirects=True)).text
    assert "A suspicious link" in staff and "Awaiting review" in staff
    api = await client.api("POST", f"/api/v1/forum/topics/{topic.id}/posts", json={"body": "suspicious again"})
    assert api.status_code == 201 and api.json()["status"] == "pending"
    post = await Content.get(body="A suspicious link")
    assert await Notification.filter(kind="forums.reply").count() == 0
    await set_status(post, "published", actor=forum.animator)
    assert await Notification.filter(kind="forums.reply", member_id=forum.alice.id).count() == 1


async def test_locked_topic_refuses_replies_with_a_clear_message(client, forum):
    topic = await forum.topic(forum.alice)
    await client.login_as(forum.animator)
    await client.post_form(f"{forum.url}/t/{topic.id}/flags", {"locked": "1"})
    await client.login_as(forum.bob)
    page = (await client.get(f"{forum.url}/t/{topic.id}-x", follow_redirects=True)).text
    assert "This topic is locked: it no longer accepts replies." in page
    refused = await client.post_form(f"{forum.url}/t/{topic.id}/reply", {"body": "Let me in"})
    assert refused.status_code == 409 and "locked" in refused.text
    api = await client.api("POST", f"/api/v1/forum/topics/{topic.id}/posts", json={"body": "Let me in"})
    assert api.status_code == 409 and api.json()["error"]["code"] == "locked"
    await client.login_as(forum.animator)
    assert (await client.post_form(f"{forum.url}/t/{topic.id}/reply", {"body": "Staff note"})).status_code == 303


async def test_members_cannot_pin_or_lock(client, forum):
    topic = await forum.topic(forum.alice)
    await client.login_as(forum.alice)
    assert (await client.post_form(f"{forum.url}/t/{topic.id}/flags", {"pinned": "1"})).status_code == 403
    assert (await client.post_form(f"{forum.url}/t/{topic.id}/flags", {"locked": "1"})).status_code == 403


async def test_announcements_are_for_sponsors_and_coordinators(client, forum):
    await client.login_as(forum.alice)
    refused = await client.post_form(f"{forum.url}/new", {"title": "Big news", "body": "x", "announcement": "1"})
    assert refused.status_code == 403
    await client.login_as(forum.sponsor)
    form = await client.get(f"{forum.url}/new")
    assert 'name="announcement"' in form.text
    done = await client.post_form(f"{forum.url}/new", {"title": "Big news", "body": "Webinar!", "announcement": "1"})
    assert done.status_code == 303
    told = await Notification.filter(kind="forums.announcement").values_list("member_id", flat=True)
    assert set(told) == {m.id for m in (forum.coordinator, forum.animator, forum.alice, forum.bob, forum.observer)}
    assert "Announcement" in (await client.get(forum.url)).text


async def test_archived_community_is_read_only_and_says_so(client, forum):
    topic = await forum.topic(forum.alice)
    await archive_community(await Community.get(id=forum.community.id), forum.coordinator)
    await client.login_as(forum.alice)
    page = (await client.get(f"{forum.url}/t/{topic.id}-x", follow_redirects=True)).text
    assert "This community is archived: replies are closed." in page
    assert 'name="body"' not in page
    refused = await client.post_form(f"{forum.url}/t/{topic.id}/reply", {"body": "Still here?"})
    assert refused.status_code == 409 and "archived" in refused.text
    assert "New topic" not in (await client.get(forum.url)).text
    api = await client.api("POST", f"/api/v1/communities/{forum.slug}/forum/topics", json={"title": "Hey you", "body": "x"})
    assert api.status_code == 409 and api.json()["error"]["code"] == "read_only"


async def test_private_forum_is_hidden_from_outsiders_everywhere(client, site, factory):
    forum = await make_forum(factory, visibility="private", slug="prive")
    topic = await forum.topic(forum.alice, title="Secret plans")
    stranger = await factory.member("stranger")
    for who in (None, stranger):
        if who is None:
            client.logout_locally()
        else:
            await client.login_as(who)
        assert (await client.get(forum.url)).status_code == 404
        assert (await client.get(f"{forum.url}/t/{topic.id}-secret-plans")).status_code == 404
        assert (await client.get(f"/c/{forum.slug}/forum.atom")).status_code == 404
        assert (await client.api("GET", f"/api/v1/forum/topics/{topic.id}")).status_code == 404
        assert (await client.api("GET", f"/api/v1/communities/{forum.slug}/forum/topics")).status_code == 404
    await client.login_as(forum.bob)
    assert "Secret plans" in (await client.get(forum.url)).text


async def test_atom_feed_is_readable_by_a_feed_reader(client, forum):
    first = await forum.topic(forum.alice, title="Premier sujet", body="Du **gras**")
    await forum.topic(forum.bob, title="Second topic")
    hidden = await forum.topic(forum.bob, title="Gone topic")
    await set_status(hidden, "deleted", actor=forum.bob)
    response = await client.get(f"/c/{forum.slug}/forum.atom")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    assert feed.feed.title.endswith("forum")
    titles = [e.title for e in feed.entries]
    assert titles == ["Second topic", "Premier sujet"]
    entry = feed.entries[1]
    assert entry.link == f"http://testserver/c/{forum.slug}/forum/t/{first.id}-premier-sujet"
    assert "<strong>gras</strong>" in entry.content[0].value
    assert entry.author == "Alice Martin"
