"""Starting topics and listing them: pages, ordering, counters, categories, permissions."""

from __future__ import annotations

import re

from tisserand.models import Content


async def test_member_starts_a_topic_from_the_form(client, forum):
    await client.login_as(forum.alice)
    response = await client.post_form(f"{forum.url}/new", {"title": "Rituels d’été", "body": "Vos idées **svp**",
                                                           "action": "post"})
    assert response.status_code == 303
    location = response.headers["location"]
    assert re.match(rf"^{forum.url}/t/\d+-rituels-d-ete$", location)
    page = await client.get(location)
    assert page.status_code == 200
    assert "Rituels d’été" in page.text
    assert "<strong>svp</strong>" in page.text
    listing = await client.get(forum.url)
    assert "Rituels d’été" in listing.text


async def test_topic_list_is_sorted_by_last_activity_with_counts(client, forum):
    old = await forum.topic(forum.alice, title="Older topic")
    await forum.topic(forum.bob, title="Newer topic")
    await forum.reply(forum.bob, old, body="Bumping the older one")
    await forum.reply(forum.animator, old, body="And again")
    page = (await client.get(forum.url)).text
    assert page.index("Older topic") < page.index("Newer topic")
    row = page[page.index("Older topic"):page.index("Newer topic")]
    assert '<td class="num">2</td>' in row
    assert 'title="Alice Martin"' in row and 'title="Bob Roy"' in row and 'title="Ana Animatrice"' in row


async def test_pinned_topics_come_first(client, forum):
    pinned = await forum.topic(forum.alice, title="Read me first")
    await forum.topic(forum.bob, title="Recent chatter")
    await client.login_as(forum.animator)
    response = await client.post_form(f"{forum.url}/t/{pinned.id}/flags", {"pinned": "1"})
    assert response.status_code == 303
    page = (await client.get(forum.url)).text
    assert page.index("Read me first") < page.index("Recent chatter")
    assert "Pinned" in page


async def test_observer_reads_but_cannot_write(client, forum):
    topic = await forum.topic(forum.alice)
    await client.login_as(forum.observer)
    page = await client.get(f"{forum.url}/t/{topic.id}-x", follow_redirects=True)
    assert page.status_code == 200
    assert "lets you read but not write" in page.text
    assert 'name="body"' not in page.text
    refused = await client.post_form(f"{forum.url}/t/{topic.id}/reply", {"body": "me too", "action": "post"})
    assert refused.status_code == 403
    refused = await client.post_form(f"{forum.url}/new", {"title": "Hello there", "body": "x"})
    assert refused.status_code == 403
    assert await Content.filter(kind="forum.post").count() == 0


async def test_short_topic_address_redirects_to_the_canonical_one(client, forum):
    topic = await forum.topic(forum.alice, title="Café virtuel")
    response = await client.get(f"{forum.url}/t/{topic.id}")
    assert response.status_code == 301
    assert response.headers["location"] == f"{forum.url}/t/{topic.id}-cafe-virtuel"
    wrong = await client.get(f"{forum.url}/t/{topic.id}-old-title?n=3")
    assert wrong.status_code == 301
    assert wrong.headers["location"] == f"{forum.url}/t/{topic.id}-cafe-virtuel?n=3"


async def test_empty_title_is_refused_with_the_text_kept(client, forum):
    await client.login_as(forum.alice)
    response = await client.post_form(f"{forum.url}/new", {"title": "", "body": "My long message", "action": "post"})
    assert response.status_code == 422
    assert "at least 3 characters" in response.text
    assert "My long message" in response.text
