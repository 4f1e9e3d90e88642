"""The forum's JSON API, as documented in docs/API.md and docs/plugins/forums.md."""

from __future__ import annotations

from tisserand.models import Content


async def test_topic_and_reply_round_trip(client, forum):
    await client.login_as(forum.animator)
    made = await client.api("POST", f"/api/v1/communities/{forum.slug}/forum/categories",
                            json={"name": "Outils", "description": "Plateformes"})
    assert made.status_code == 201 and made.json()["slug"] == "outils"
    await client.login_as(forum.alice)
    created = await client.api("POST", f"/api/v1/communities/{forum.slug}/forum/topics",
                               json={"title": "Quel outil de sondage ?", "body": "Je cherche **simple**.",
                                     "category": "outils"})
    assert created.status_code == 201
    topic = created.json()
    assert topic["kind"] == "forum.topic" and topic["community"] == forum.slug and topic["author"] == "alice"
    assert topic["status"] == "published" and "<strong>simple</strong>" in topic["html"]
    assert topic["url"] == f"/c/{forum.slug}/forum/t/{topic['id']}-quel-outil-de-sondage"
    await client.login_as(forum.bob)
    reply = await client.api("POST", f"/api/v1/forum/topics/{topic['id']}/posts",
                             json={"body": "Essaie Framaforms", "reply_to": topic["id"]})
    assert reply.status_code == 201
    assert reply.json()["number"] == 2 and reply.json()["reply_to"] == topic["id"]
    detail = (await client.api("GET", f"/api/v1/forum/topics/{topic['id']}")).json()
    assert detail["reply_count"] == 1 and detail["category"] == "outils"
    assert [p["author"] for p in detail["posts"]] == ["bob"]
    listing = (await client.api("GET", f"/api/v1/communities/{forum.slug}/forum/topics")).json()
    assert listing["items"][0]["id"] == topic["id"] and listing["next"] is None


async def test_topics_list_pages_with_a_cursor(client, forum):
    for number in range(5):
        await forum.topic(forum.alice, title=f"Topic number {number}")
    first = (await client.api("GET", f"/api/v1/communities/{forum.slug}/forum/topics?limit=2")).json()
    assert [t["title"] for t in first["items"]] == ["Topic number 4", "Topic number 3"]
    second = (await client.api("GET", f"/api/v1/communities/{forum.slug}/forum/topics?limit=2&cursor={first['next']}")).json()
    assert [t["title"] for t in second["items"]] == ["Topic number 2", "Topic number 1"]
    third = (await client.api("GET", f"/api/v1/communities/{forum.slug}/forum/topics?limit=2&cursor={second['next']}")).json()
    assert [t["title"] for t in third["items"]] == ["Topic number 0"] and third["next"] is None
    broken = await client.api("GET", f"/api/v1/communities/{forum.slug}/forum/topics?cursor=nonsense")
    assert broken.status_code == 400 and broken.json()["error"]["code"] == "bad_cursor"


async def test_bad_input_gets_a_clear_4xx(client, forum):
    url = f"/api/v1/communities/{forum.slug}/forum/topics"
    assert (await client.api("POST", url, json={"title": "Hello you", "body": "x"})).status_code == 401
    await client.login_as(forum.alice)
    missing = await client.api("POST", url, json={"body": "x"})
    assert missing.status_code == 422 and "title" in missing.json()["error"]["fields"]
    unknown = await client.api("POST", url, json={"title": "Hello you", "body": "x", "colour": "red"})
    assert unknown.status_code == 422
    short = await client.api("POST", url, json={"title": "Hi", "body": "x"})
    assert short.status_code == 422 and short.json()["error"]["fields"]["title"]
    category = await client.api("POST", url, json={"title": "Hello you", "body": "x", "category": "nope"})
    assert category.status_code == 422
    assert (await client.api("GET", "/api/v1/forum/topics/999999")).status_code == 404
    assert (await client.api("POST", "/api/v1/forum/topics/999999/posts", json={"body": "x"})).status_code == 404


async def test_edit_delete_react_solve_and_flags(client, forum):
    topic = await forum.topic(forum.alice)
    post = await forum.reply(forum.bob, topic, body="Answer")
    await client.login_as(forum.bob)
    edited = await client.api("PUT", f"/api/v1/forum/posts/{post.id}", json={"body": "Better answer"})
    assert edited.status_code == 200 and edited.json()["edited_at"] is not None
    reacted = await client.api("POST", f"/api/v1/forum/posts/{topic.id}/reactions", json={"kind": "insightful"})
    assert reacted.status_code == 201
    detail = (await client.api("GET", f"/api/v1/forum/topics/{topic.id}")).json()
    assert detail["reactions"] == {"insightful": 1}
    assert (await client.api("DELETE", f"/api/v1/forum/posts/{topic.id}/reactions/insightful")).status_code == 200
    assert (await client.api("PATCH", f"/api/v1/forum/topics/{topic.id}", json={"pinned": True})).status_code == 403
    await client.login_as(forum.alice)
    solved = await client.api("PUT", f"/api/v1/forum/topics/{topic.id}/solution", json={"post": post.id})
    assert solved.json()["solved_post"] == post.id
    await client.login_as(forum.animator)
    flags = await client.api("PATCH", f"/api/v1/forum/topics/{topic.id}", json={"pinned": True, "locked": True})
    assert flags.json()["pinned"] is True and flags.json()["locked"] is True
    deleted = await client.api("DELETE", f"/api/v1/forum/posts/{post.id}")
    assert deleted.json()["status"] == "deleted"
    assert (await Content.get(id=post.id)).status == "deleted"


async def test_preview_and_openapi(client, forum):
    await client.login_as(forum.alice)
    preview = await client.api("POST", "/api/v1/forum/preview", json={"body": "@bob *hi*"})
    assert '<a class="mention"' in preview.json()["html"] and "<em>hi</em>" in preview.json()["html"]
    paths = (await client.api("GET", "/api/v1/openapi.json")).json()["paths"]
    assert "post" in paths["/api/v1/communities/{slug}/forum/topics"]
    assert paths["/api/v1/forum/topics/{topic_id}/posts"]["post"]["summary"].startswith("Reply in a topic")
