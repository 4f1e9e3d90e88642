"""Replying, quoting, previewing, editing, deleting, reacting and solving."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tisserand.models import Content
from tisserand.plugins.forums.models import Post, Reaction, Topic


async def test_reply_shows_a_link_to_the_post_replied_to(client, forum):
    topic = await forum.topic(forum.alice)
    first = await forum.reply(forum.bob, topic, body="First answer")
    await client.login_as(forum.alice)
    response = await client.post_form(f"{forum.url}/t/{topic.id}/reply",
                                      {"body": "Thanks Bob", "reply_to": str(first.id), "action": "post"})
    assert response.status_code == 303
    post = await Post.get(content__body="Thanks Bob")
    assert post.reply_to_id == first.id and post.number == 3
    page = (await client.get(response.headers["location"].split("#")[0], follow_redirects=True)).text
    assert f'href="/c/{forum.slug}/forum/t/{topic.id}-how-do-you-run-a-virtual-cafe?n=2#p{first.id}"' in page
    assert "in reply to @bob (#2)" in page


async def test_reply_to_a_post_of_another_topic_is_refused(forum):
    import pytest

    from tisserand.errors import ValidationFailed

    one, other = await forum.topic(forum.alice), await forum.topic(forum.bob, title="Another one")
    elsewhere = await forum.reply(forum.bob, other)
    with pytest.raises(ValidationFailed):
        await forum.reply(forum.alice, one, reply_to=elsewhere.id)


async def test_quote_prefills_the_reply_form(client, forum):
    topic = await forum.topic(forum.alice)
    post = await forum.reply(forum.bob, topic, body="Line one\n\nLine two")
    await client.login_as(forum.alice)
    page = await client.get(f"{forum.url}/t/{topic.id}/reply?quote={post.id}")
    assert page.status_code == 200
    assert "&gt; @bob [→]" in page.text
    assert "&gt; Line one\n&gt;\n&gt; Line two" in page.text
    assert f'name="reply_to" value="{post.id}"' in page.text
    raw = await client.get(f"{forum.url}/p/{post.id}/quote")
    assert raw.text.startswith("> @bob [→](")


async def test_preview_button_renders_without_saving(client, forum):
    topic = await forum.topic(forum.alice)
    await client.login_as(forum.bob)
    response = await client.post_form(f"{forum.url}/t/{topic.id}/reply",
                                      {"body": "Some *emphasis* <script>alert(1)</script>", "action": "preview"})
    assert response.status_code == 200
    assert "<em>emphasis</em>" in response.text
    assert "<script>alert(1)" not in response.text
    assert await Content.filter(kind="forum.post").count() == 0
    fragment = await client.post_form(f"{forum.url}/preview", {"body": "[x](javascript:alert(1)) **b**"})
    assert fragment.status_code == 200
    assert "<strong>b</strong>" in fragment.text and "href=\"javascript" not in fragment.text


async def test_author_edits_within_the_window_and_the_post_shows_edited(client, forum):
    topic = await forum.topic(forum.alice)
    post = await forum.reply(forum.bob, topic, body="Typo hre")
    await client.login_as(forum.bob)
    response = await client.post_form(f"{forum.url}/p/{post.id}/edit", {"body": "Typo here", "action": "post"})
    assert response.status_code == 303
    page = (await client.get(response.headers["location"].split("#")[0], follow_redirects=True)).text
    assert "Typo here" in page and "edited" in page


async def test_author_cannot_edit_after_the_window_but_animator_can(client, forum):
    topic = await forum.topic(forum.alice)
    post = await forum.reply(forum.bob, topic, body="Old words")
    await Content.filter(id=post.id).update(created_at=datetime.now(UTC) - timedelta(days=2))
    await client.login_as(forum.bob)
    refused = await client.post_form(f"{forum.url}/p/{post.id}/edit", {"body": "New words"})
    assert refused.status_code == 403
    assert "time to edit" in refused.text
    await client.login_as(forum.animator)
    allowed = await client.post_form(f"{forum.url}/p/{post.id}/edit", {"body": "Moderated words"})
    assert allowed.status_code == 303
    assert (await Content.get(id=post.id)).body == "Moderated words"


async def test_other_members_cannot_edit(client, forum):
    topic = await forum.topic(forum.alice)
    await client.login_as(forum.bob)
    refused = await client.post_form(f"{forum.url}/p/{topic.id}/edit", {"title": "Hijacked", "body": "x"})
    assert refused.status_code == 403
    assert (await Content.get(id=topic.id)).title != "Hijacked"


async def test_soft_delete_leaves_a_stub_and_recounts(client, forum):
    topic = await forum.topic(forum.alice)
    post = await forum.reply(forum.bob, topic, body="Regrettable words")
    await client.login_as(forum.bob)
    response = await client.post_form(f"{forum.url}/p/{post.id}/delete", {})
    assert response.status_code == 303
    assert (await Content.get(id=post.id)).status == "deleted"
    assert (await Topic.get(content_id=topic.id)).reply_count == 0
    client.logout_locally()
    page = (await client.get(f"{forum.url}/t/{topic.id}-x", follow_redirects=True)).text
    assert "This message was deleted." in page and "Regrettable words" not in page
    await client.login_as(forum.animator)
    staff_page = (await client.get(f"{forum.url}/t/{topic.id}-x", follow_redirects=True)).text
    assert "Regrettable words" in staff_page and "Restore" in staff_page
    restored = await client.post_form(f"{forum.url}/p/{post.id}/restore", {})
    assert restored.status_code == 303
    assert (await Topic.get(content_id=topic.id)).reply_count == 1


async def test_members_cannot_delete_others_posts_but_animators_can(client, forum):
    topic = await forum.topic(forum.alice)
    await client.login_as(forum.bob)
    assert (await client.post_form(f"{forum.url}/p/{topic.id}/delete", {})).status_code == 403
    await client.login_as(forum.animator)
    assert (await client.post_form(f"{forum.url}/p/{topic.id}/delete", {})).status_code == 303
    client.logout_locally()
    assert (await client.get(f"{forum.url}/t/{topic.id}-x", follow_redirects=True)).status_code == 404
    assert "How do you run" not in (await client.get(forum.url)).text


async def test_reactions_toggle_one_per_member_and_kind(client, forum):
    topic = await forum.topic(forum.alice)
    post = await forum.reply(forum.bob, topic)
    await client.login_as(forum.alice)
    for _ in range(2):
        await client.post_form(f"{forum.url}/p/{post.id}/react", {"kind": "like", "on": "1"})
    assert await Reaction.filter(content_id=post.id).count() == 1
    answer = await client.post_form(f"{forum.url}/p/{post.id}/react", {"kind": "thanks"},
                                    headers={"Accept": "application/json"})
    assert answer.json() == {"kind": "thanks", "on": True, "count": 1, "who": f"Thanks: {forum.alice.name}"}
    page = (await client.get(f"{forum.url}/t/{topic.id}-x", follow_redirects=True)).text
    assert f'aria-pressed="true" aria-describedby="rw{post.id}-like">' in page
    await client.post_form(f"{forum.url}/p/{post.id}/react", {"kind": "like"})
    assert await Reaction.filter(content_id=post.id, kind="like").count() == 0
    bad = await client.post_form(f"{forum.url}/p/{post.id}/react", {"kind": "rocket"})
    assert bad.status_code == 422


async def test_topic_author_marks_the_solution(client, forum):
    topic = await forum.topic(forum.alice)
    post = await forum.reply(forum.bob, topic, body="Here is how")
    await client.login_as(forum.bob)
    assert (await client.post_form(f"{forum.url}/t/{topic.id}/solve", {"post": str(post.id)})).status_code == 403
    await client.login_as(forum.alice)
    assert (await client.post_form(f"{forum.url}/t/{topic.id}/solve", {"post": str(post.id)})).status_code == 303
    assert (await Topic.get(content_id=topic.id)).solved_post_id == post.id
    page = (await client.get(forum.url)).text
    assert "Solved" in page
    topic_page = (await client.get(f"{forum.url}/t/{topic.id}-x", follow_redirects=True)).text
    assert "Go to the solution by Bob Roy" in topic_page and "Unmark solution" in topic_page


async def test_reactions_say_who_and_nobody_reacts_to_their_own_message(client, forum):
    """Icons with text labels (no emoji), who reacted on hover and focus and in the API, and
    no reacting to one's own message: no control on the page, a 403 with a reason in the API."""
    topic = await forum.topic(forum.alice)
    post = await forum.reply(forum.bob, topic)
    await client.login_as(forum.alice)
    await client.post_form(f"{forum.url}/p/{post.id}/react", {"kind": "insightful", "on": "1"})
    page = (await client.get(f"{forum.url}/t/{topic.id}-x", follow_redirects=True)).text
    assert '<svg class="icon icon-insightful"' in page and '<span class="reaction-label">Insightful</span>' in page
    assert "💡" not in page
    assert f'<span class="who" role="tooltip" id="rw{post.id}-insightful">Insightful: Alice Martin</span>' in page
    # Alice's own opening post: no picker, no toggle.
    opening = page.split(f'id="p{topic.id}"')[1].split("</li>")[0]
    assert "react-picker" not in opening
    refused = await client.api("POST", f"/api/v1/forum/posts/{topic.id}/reactions", json={"kind": "like"})
    assert refused.status_code == 403 and "your own message" in refused.json()["error"]["message"]
    refused_form = await client.post_form(f"{forum.url}/p/{topic.id}/react", {"kind": "like"})
    assert refused_form.status_code == 403
    assert await Reaction.filter(content_id=topic.id).count() == 0
    # The author sees who reacted too, in a list that opens without a script.
    await client.login_as(forum.bob)
    own = (await client.get(f"{forum.url}/t/{topic.id}-x", follow_redirects=True)).text
    mine = own.split(f'id="p{post.id}"')[1].split("</li>")[0]
    assert '<details class="reaction who-list">' in mine and "Insightful: Alice Martin" in mine
    listed = (await client.api("GET", f"/api/v1/forum/posts/{post.id}/reactions")).json()
    assert listed["items"] == [{"kind": "insightful", "label": "Insightful", "count": 1, "mine": False,
                                "who": [{"username": forum.alice.username, "name": "Alice Martin"}]}]


async def test_who_reacted_stays_private_with_the_message(client, factory):
    from tests.plugins.forums.conftest import make_forum

    private = await make_forum(factory, visibility="private", slug="entre-nous", prefix="p-")
    topic = await private.topic(private.alice)
    await private.reply(private.bob, topic)
    outsider = await factory.member("curious")
    await client.login_as(outsider)
    answer = await client.api("GET", f"/api/v1/forum/posts/{topic.id}/reactions")
    assert answer.status_code == 404
