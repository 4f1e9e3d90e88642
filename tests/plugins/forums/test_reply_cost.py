"""A reply costs the same statements whatever the topic's size: counters and participants are
kept incrementally, nothing is recounted over the topic and no row in hand is read again."""

from __future__ import annotations

from tisserand.plugins.forums.models import Participant, Topic
from tisserand.testing.queries import count_queries

from .test_scale import bulk_replies


async def reply_statements(client, forum, topic, body="Same cost, no mention"):
    with count_queries() as queries:
        response = await client.post_form(f"{forum.url}/t/{topic.id}/reply", {"body": body, "action": "post"})
    assert response.status_code == 303
    return queries.statements


async def test_statements_per_reply_do_not_grow_with_the_topic(client, forum):
    small = await forum.topic(forum.alice, title="Small topic")
    big = await forum.topic(forum.alice, title="Big topic")
    await bulk_replies(forum, small, 5, [forum.alice, forum.animator])
    await bulk_replies(forum, big, 200, [forum.alice, forum.animator, forum.coordinator])
    await client.login_as(forum.bob)
    await reply_statements(client, forum, small)  # Bob's first reply there: warm what is cached
    await reply_statements(client, forum, big)
    few = await reply_statements(client, forum, small)
    many = await reply_statements(client, forum, big)
    assert len(few) == len(many), many
    assert len(many) <= 20, many  # SQLite 18 (11 before the answer, 7 after: a notification, live events); PG 20
    whole_topic = [q for q in many if ("count(" in q.lower() and "notification" not in q.lower())
                   or "group by" in q.lower() or "delete from forum_participant" in q.lower()]
    assert not whole_topic, whole_topic
    assert sum("FROM \"forum_post\"" in q or "FROM forum_post" in q for q in many) == 0, many
    # the incremental counters agree with a recount
    topic = await Topic.get(content_id=big.id)
    assert topic.reply_count == 202 and topic.highest_number == 203 and topic.post_seq == 203
    assert topic.participant_count == 4 and topic.last_poster_id == forum.bob.id
    assert (await Participant.get(topic_id=big.id, member_id=forum.bob.id)).post_count == 2
    with_mention = await reply_statements(client, forum, big, body="Thanks @alice")
    assert len(with_mention) <= len(many) + 8, with_mention
