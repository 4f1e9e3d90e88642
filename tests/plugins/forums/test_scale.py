"""Big topics: keyset pagination over 5,000 posts and a constant number of queries per page."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tisserand.db import dialect, execute, fetch_all
from tisserand.plugins.forums.service import refresh_topic
from tisserand.testing.queries import count_queries


async def bulk_replies(forum, topic, count, authors):
    """Insert ``count`` published replies quickly (raw SQL, as an import would)."""
    start = datetime.now(UTC) - timedelta(days=30)
    base = (await fetch_all("SELECT max(id) AS m FROM content"))[0]["m"] or 0
    rows, posts = [], []
    for index in range(count):
        when = start + timedelta(minutes=index)
        stamp = when if dialect() == "postgres" else str(when)
        author = authors[index % len(authors)]
        rows.append((base + index + 1, forum.community.id, author.id, topic.id, f"Reply number {index + 2}",
                     f"<p>Reply number {index + 2}</p>", stamp))
        posts.append((base + index + 1, topic.id, index + 2))
    for chunk in range(0, count, 500):
        part = rows[chunk:chunk + 500]
        await execute(
            "INSERT INTO content (id, kind, community_id, author_id, parent_id, title, body, html, status, "
            "status_reason, meta, created_at, updated_at, activity_at) VALUES "
            + ", ".join("(?, 'forum.post', ?, ?, ?, '', ?, ?, 'published', '', '{}', ?, ?, ?)" for _ in part),
            [v for r in part for v in (*r[:6], r[6], r[6], r[6])])
        await execute("INSERT INTO forum_post (content_id, topic_id, number, notified) VALUES "
                      + ", ".join("(?, ?, ?, '[]')" for _ in part),
                      [v for p in posts[chunk:chunk + 500] for v in p])
    if dialect() == "postgres":
        await execute("SELECT setval(pg_get_serial_sequence('content', 'id'), (SELECT max(id) FROM content))")
    await execute("UPDATE forum_topic SET post_seq = ? WHERE content_id = ?", [count + 1, topic.id])
    await refresh_topic(topic.id)


async def test_keyset_pages_through_a_topic_of_5000_posts(client, forum):
    topic = await forum.topic(forum.alice, title="Very long thread")
    await bulk_replies(forum, topic, 5000, [forum.alice, forum.bob, forum.animator])
    base = f"{forum.url}/t/{topic.id}-very-long-thread"
    with count_queries() as queries:
        first = await client.get(base)
    assert first.status_code == 200
    assert "Reply number 2<" in first.text and "Reply number 51<" in first.text and "Reply number 52<" not in first.text
    assert "?after=51" in first.text
    assert not any("OFFSET" in q.upper() for q in queries.statements)
    deep = await client.get(f"{base}?n=4990")
    assert "Reply number 4990<" in deep.text and "Reply number 5001<" in deep.text
    assert "Reply number 4989<" not in deep.text and "?before=4990" in deep.text
    last = await client.get(f"{base}?before=5002")
    assert "Reply number 5001<" in last.text and "Reply number 4952<" in last.text and "Reply number 4951<" not in last.text
    listing = (await client.get(forum.url)).text
    assert '<td class="num">5000</td>' in listing


async def page_queries(client, url):
    await client.get(url)  # the first visit stores the read position
    with count_queries() as queries:
        response = await client.get(url)
    assert response.status_code == 200
    return len(queries)


async def test_topic_page_queries_do_not_grow_with_posts(client, forum):
    small = await forum.topic(forum.alice, title="Small")
    big = await forum.topic(forum.alice, title="Big")
    for topic, count in ((small, 3), (big, 60)):
        await bulk_replies(forum, topic, count, [forum.bob, forum.animator, forum.coordinator])
    posts = await fetch_all("SELECT content_id FROM forum_post")
    for post in posts[:40]:
        await execute("INSERT INTO forum_reaction (content_id, member_id, kind, created_at) VALUES (?, ?, 'like', ?)",
                      [post["content_id"], forum.alice.id, datetime.now(UTC) if dialect() == "postgres" else str(datetime.now(UTC))])
    await client.login_as(forum.bob)
    few = await page_queries(client, f"{forum.url}/t/{small.id}-small")
    many = await page_queries(client, f"{forum.url}/t/{big.id}-big")
    assert few == many
    client.logout_locally()
    assert await page_queries(client, f"{forum.url}/t/{small.id}-small") == await page_queries(
        client, f"{forum.url}/t/{big.id}-big")


async def test_topic_list_queries_do_not_grow_with_topics(client, forum):
    await forum.topic(forum.alice, title="Only one")
    await client.login_as(forum.bob)
    one = await page_queries(client, forum.url)
    for number in range(25):
        topic = await forum.topic(forum.alice, title=f"Topic {number}")
        await forum.reply(forum.animator, topic)
    assert await page_queries(client, forum.url) == one


async def test_anonymous_readers_see_every_change_at_once(client, forum):
    """The cached replies for anonymous readers are rendered again after any change."""
    from tisserand.plugins.forums import service

    topic = await forum.topic(forum.alice, title="Cached")
    post = await forum.reply(forum.bob, topic, body="First version")
    url = f"{forum.url}/t/{topic.id}-cached"
    assert "First version" in (await client.get(url)).text
    with count_queries() as cached:
        assert "First version" in (await client.get(url)).text
    assert not any("forum_reaction" in q for q in cached.statements)
    await service.edit(await forum.view(forum.bob), post.id, body="Second version")
    assert "Second version" in (await client.get(url)).text
    await service.react(await forum.view(forum.alice), post.id, "like", True)
    assert '<span class="reaction-label">Like</span> <span class="count">1</span>' in (await client.get(url)).text
    await service.set_solution(await forum.view(forum.alice), topic.id, post.id)
    assert "post solution" in (await client.get(url)).text
    await service.delete(await forum.view(forum.bob), post.id)
    assert "Second version" not in (await client.get(url)).text
