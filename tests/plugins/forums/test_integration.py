"""The forum's parts of other features: archive bundles, digests, demo, home panel, language."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zipfile import ZipFile

from tisserand.bundle import Bundle
from tisserand.models import Community, Content, Member
from tisserand.plugins.forums.bundle import export_forum, import_forum
from tisserand.plugins.forums.digest import digest_sections
from tisserand.plugins.forums.models import Category, Post, Reaction, Topic


async def test_export_then_import_keeps_the_forum(tmp_path, forum, factory):
    from tisserand.plugins.forums import categories, service

    view = await forum.view(forum.animator)
    await categories.create_category(view, name="Outils")
    topic = await forum.topic(forum.alice, category="outils")
    first = await forum.reply(forum.bob, topic, body="First")
    second = await forum.reply(forum.alice, topic, body="Second", reply_to=first.id)
    await service.react(await forum.view(forum.alice), first.id, "thanks", True)
    await service.set_solution(await forum.view(forum.alice), topic.id, first.id)
    path = str(tmp_path / "bundle.zip")
    bundle = Bundle.create(path)
    await export_forum(forum.community, bundle)
    bundle.close()
    # What the core part of an import does: a new community, content copied, ids mapped.
    target = await factory.community("copie")
    reading = Bundle(ZipFile(path), writing=False)
    reading.member_ids = {m.id: m.id for m in await Member.all()}
    for old in await Content.filter(community_id=forum.community.id).order_by("id"):
        new = await Content.create(kind=old.kind, community_id=target.id, author_id=old.author_id,
                                   parent_id=reading.content_ids.get(old.parent_id), title=old.title,
                                   body=old.body, html=old.html, status=old.status, meta={})
        reading.content_ids[old.id] = new.id
    await import_forum(await Community.get(id=target.id), reading)
    new_topic = await Topic.get(content_id=reading.content_ids[topic.id]).prefetch_related("category")
    assert new_topic.category.slug == "outils" and new_topic.category.community_id == target.id
    assert new_topic.reply_count == 2 and new_topic.solved_post_id == reading.content_ids[first.id]
    new_second = await Post.get(content_id=reading.content_ids[second.id])
    assert new_second.reply_to_id == reading.content_ids[first.id] and new_second.number == 3
    assert await Reaction.filter(content_id=reading.content_ids[first.id]).count() == 1
    moved = await Content.get(id=reading.content_ids[second.id])
    assert moved.meta["cslug"] == "copie" and moved.meta["topic"] == new_topic.content_id
    assert await Category.filter(community_id=target.id).count() == 1


async def test_digest_sections_list_new_and_active_topics_for_readers_only(forum, factory):
    from tests.plugins.forums.conftest import make_forum

    busy = await forum.topic(forum.alice, title="Busy topic")
    for _ in range(3):
        await forum.reply(forum.bob, busy)
    await forum.topic(forum.bob, title="Quiet topic")
    now = datetime.now(UTC)
    sections = await digest_sections(forum.bob, forum.community, now - timedelta(days=7), now + timedelta(minutes=1))
    assert [s.title for s in sections] == ["New topics", "Most active topics"]
    assert [i.text for i in sections[0].items] == ["Quiet topic", "Busy topic"]
    assert sections[1].items[0].text == "Busy topic" and sections[1].items[0].detail == "3 new replies"
    assert sections[1].items[0].url == f"/c/{forum.slug}/forum/t/{busy.id}-busy-topic"
    old = await digest_sections(forum.bob, forum.community, now - timedelta(days=30), now - timedelta(days=7))
    assert old == []
    private = await make_forum(factory, visibility="private", slug="prive", prefix="p")
    await private.topic(private.alice, title="Members only")
    outsider = await factory.member("curious")
    assert await digest_sections(outsider, private.community, now - timedelta(days=7), now + timedelta(minutes=1)) == []


async def test_demo_content_creates_discussions(site):
    from tisserand.demo import populate

    communities = await populate(site)
    topics = await Content.filter(kind="forum.topic", community_id=communities["animateurs"].id).count()
    assert topics >= 3
    assert await Topic.filter(solved_post_id__not_isnull=True).count() >= 2
    assert await Topic.filter(pinned=True, announcement=True).count() == 1
    assert await Content.filter(kind="forum.topic", title__contains="licence").count() == 1


async def test_pages_speak_french(client, forum):
    await forum.topic(forum.alice, title="Bonjour")
    page = await client.get(forum.url, headers={"Accept-Language": "fr-CA,fr;q=0.9"})
    assert "Nouveau sujet" not in page.text  # anonymous visitors cannot start a topic
    assert "Tous les sujets" in page.text and "Flux Atom" in page.text
    await client.login_as(forum.alice)
    page = await client.get(forum.url, headers={"Accept-Language": "fr"})
    assert "Nouveau sujet" in page.text


async def test_forum_tab_and_home_panel(client, forum):
    await forum.topic(forum.alice, title="Hello panel")
    page = await client.get(forum.url)
    assert f'<a href="/c/{forum.slug}/forum" aria-current="page">Forum</a>' in page.text
    from tisserand.plugins.forums.panels import latest_topics_panel

    class State:
        community = None

    class FakeRequest:
        state = State()
        app = client._transport.app

    html = await latest_topics_panel(forum.community, None, FakeRequest())
    assert "Hello panel" in html
