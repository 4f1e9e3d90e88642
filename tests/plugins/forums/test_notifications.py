"""Who is told what: mentions, replies, new topics, follows; unread markers."""

from __future__ import annotations

from tisserand.models import Notification
from tisserand.plugins.forums.models import TopicState


async def kinds_for(member):
    return sorted(await Notification.filter(member_id=member.id).values_list("kind", flat=True))


async def test_mentions_notify_once_even_after_edits(client, forum):
    topic = await forum.topic(forum.alice, body="What do you think, @bob and @nobody?")
    assert await kinds_for(forum.bob) == ["mention"]
    note = await Notification.get(member_id=forum.bob.id)
    assert note.url == f"/c/{forum.slug}/forum/t/{topic.id}-how-do-you-run-a-virtual-cafe"
    assert note.title == "Alice Martin mentioned you in “How do you run a virtual café?”"
    await client.login_as(forum.alice)
    await client.post_form(f"{forum.url}/p/{topic.id}/edit",
                           {"title": topic.title, "body": "@bob, and also @anim?", "action": "post"})
    assert await kinds_for(forum.bob) == ["mention"]
    assert await kinds_for(forum.animator) == ["mention"]


async def test_mentions_are_written_in_the_recipients_language(forum, factory):
    francophone = await factory.member("francoise", locale="fr")
    await factory.add_member(forum.community, francophone)
    await forum.topic(forum.alice, title="Café du jeudi", body="@francoise tu viens ?")
    note = await Notification.get(member_id=francophone.id)
    assert note.title == "Alice Martin vous a mentionné dans «\u00a0Café du jeudi\u00a0»"


async def test_mention_of_an_outsider_of_a_private_community_is_dropped(site, factory):
    from tests.plugins.forums.conftest import make_forum

    forum = await make_forum(factory, visibility="private", slug="entre-nous")
    outsider = await factory.member("dehors")
    await forum.topic(forum.alice, body="Hello @dehors")
    assert await kinds_for(outsider) == []


async def test_replies_notify_the_topic_author_the_replied_author_and_followers(forum):
    topic = await forum.topic(forum.alice)
    first = await forum.reply(forum.bob, topic)
    assert await kinds_for(forum.alice) == ["forums.reply"]
    await TopicState.create(topic_id=topic.id, member_id=forum.animator.id, watching=True)
    await forum.reply(forum.coordinator, topic, body="Answering Bob", reply_to=first.id)
    assert await kinds_for(forum.bob) == ["forums.reply"]
    assert await kinds_for(forum.alice) == ["forums.reply", "forums.reply"]
    assert await kinds_for(forum.animator) == ["forums.reply"]
    assert await kinds_for(forum.coordinator) == []


async def test_followers_of_the_forum_hear_of_new_topics(client, forum):
    await client.login_as(forum.bob)
    assert (await client.post_form(f"{forum.url}/watch", {"on": "1"})).status_code == 303
    assert "Stop following new topics" in (await client.get(forum.url)).text
    await forum.topic(forum.alice, title="Fresh topic")
    notes = await Notification.filter(member_id=forum.bob.id)
    assert [n.kind for n in notes] == ["forums.topic"]
    assert "Fresh topic" in notes[0].title
    await client.post_form(f"{forum.url}/watch", {"on": "0"})
    await forum.topic(forum.alice, title="Another fresh topic")
    assert await Notification.filter(member_id=forum.bob.id).count() == 1


async def test_unread_markers_follow_the_read_position(client, forum, factory):
    topic = await forum.topic(forum.alice)
    await client.login_as(forum.bob)
    listing = (await client.get(forum.url)).text
    assert ">New<" in listing
    await client.get(f"{forum.url}/t/{topic.id}-x", follow_redirects=True)
    listing = (await client.get(forum.url)).text
    assert ">New<" not in listing and "unread" not in listing.split("<tbody>")[1]
    await forum.reply(forum.alice, topic, body="one")
    await forum.reply(forum.animator, topic, body="two")
    listing = (await client.get(forum.url)).text
    assert "2 unread" in listing
    assert f"/t/{topic.id}-how-do-you-run-a-virtual-cafe?n=2" in listing
    await client.get(f"{forum.url}/t/{topic.id}-how-do-you-run-a-virtual-cafe")
    state = await TopicState.get(topic_id=topic.id, member_id=forum.bob.id)
    assert state.last_read_number == 3
    assert "2 unread" not in (await client.get(forum.url)).text
