"""Reacting without the page's script, and the one menu of reactions of a topic page."""

from __future__ import annotations

import re

from tisserand.plugins.forums.models import Reaction
from tisserand.testing.queries import count_queries


async def test_react_link_opens_a_page_of_reactions_that_works_without_a_script(client, forum):
    topic = await forum.topic(forum.alice)
    post = await forum.reply(forum.bob, topic, body="Mulch in May")
    await client.login_as(forum.alice)
    page = (await client.get(f"{forum.url}/t/{topic.id}-x", follow_redirects=True)).text
    item = page.split(f'id="p{post.id}"')[1].split("</article>")[0]
    assert f'<a class="action react-link" href="{forum.url}/p/{post.id}/react"' in item
    assert "<details" not in item  # no menu of five buttons per post: one for the page
    assert page.count('id="react-picker"') == 1 and page.count('class="react-form picker"') == 1

    form_page = await client.get(f"{forum.url}/p/{post.id}/react")
    assert form_page.status_code == 200
    html = form_page.text
    assert "React to the message by Bob Roy" in html and "Mulch in May" in html
    form = html.split(f'action="{forum.url}/p/{post.id}/react"')[1].split("</form>")[0]
    token = re.search(r'name="csrf_token" value="([^"]+)"', form)
    assert token is not None and token.group(1) == client.csrf
    assert form.count('type="submit" name="kind"') == 5
    assert 'value="like" class="reaction" aria-pressed="false"' in form
    assert '<span class="reaction-label">Like</span>' in form

    # The form posts to the reaction endpoint, which comes back to the message.
    answer = await client.post_form(f"{forum.url}/p/{post.id}/react", {"kind": "like"})
    assert answer.status_code == 303 and answer.headers["location"].endswith(f"#p{post.id}")
    assert await Reaction.filter(content_id=post.id, member_id=forum.alice.id, kind="like").count() == 1
    again = (await client.get(f"{forum.url}/p/{post.id}/react")).text
    assert 'value="like" class="reaction mine" aria-pressed="true"' in again
    assert '<span class="count">1</span>' in again
    # The topic page shows the count and the member's own reaction on the post.
    page = (await client.get(f"{forum.url}/t/{topic.id}-x", follow_redirects=True)).text
    item = page.split(f'id="p{post.id}"')[1].split("</article>")[0]
    assert 'class="reaction mine" aria-pressed="true"' in item and '<span class="count">1</span>' in item
    assert 'data-mine="like"' in item


async def test_react_page_refuses_what_the_form_would_refuse(client, forum):
    topic = await forum.topic(forum.alice)
    post = await forum.reply(forum.bob, topic)
    anonymous = await client.get(f"{forum.url}/p/{post.id}/react")
    assert anonymous.status_code == 303 and anonymous.headers["location"].startswith("/login")
    await client.login_as(forum.alice)
    own = await client.get(f"{forum.url}/p/{topic.id}/react")
    assert own.status_code == 403 and "your own message" in own.text
    assert (await client.get(f"{forum.url}/p/999999/react")).status_code == 404
    assert (await client.get(f"{forum.url}/p/abc/react")).status_code == 404


async def test_member_topic_page_reads_three_times_once_the_page_was_read(client, forum):
    """Session with its member, community with the membership, topic; the replies and their
    reactions of this version of the page were read by the first visit."""
    topic = await forum.topic(forum.alice)
    for _ in range(3):
        await forum.reply(forum.bob, topic)
    await client.login_as(forum.alice)
    url = str((await client.get(f"{forum.url}/t/{topic.id}-x", follow_redirects=True)).url)
    with count_queries() as queries:
        response = await client.get(url)
    assert response.status_code == 200
    assert len(queries) == 3, queries.statements
    await forum.reply(forum.bob, topic)  # a new version of the page: read again
    with count_queries() as queries:
        response = await client.get(url)
    assert len(queries) <= 6, queries.statements  # + replies, reactions, the read position


async def test_members_see_every_change_at_once_and_only_what_they_may(client, forum):
    from tisserand.models import Content
    from tisserand.plugins.forums import service

    topic = await forum.topic(forum.alice, title="Shared")
    post = await forum.reply(forum.bob, topic, body="First version")
    url = f"{forum.url}/t/{topic.id}-shared"
    await client.login_as(forum.alice)
    assert "First version" in (await client.get(url)).text
    await service.edit(await forum.view(forum.bob), post.id, body="Second version")
    assert "Second version" in (await client.get(url)).text
    await service.react(await forum.view(forum.animator), post.id, "thanks", True)
    assert "Thanks: " in (await client.get(url)).text
    # A reply awaiting review: its author and the moderators see it, other members do not.
    await Content.filter(id=post.id).update(status="pending")
    await service.bump(topic.id)
    assert "Second version" not in (await client.get(url)).text
    await client.login_as(forum.bob)
    own = (await client.get(url)).text
    assert "Second version" in own and "Only you and the moderators can see this message" in own
    await client.login_as(forum.animator)
    assert "Second version" in (await client.get(url)).text
    await client.login_as(forum.alice)
    assert "Second version" not in (await client.get(url)).text
