"""API twins of the forum's web actions: categories (rename, reorder, delete) and marking a topic
read, with the same rights as the pages."""

from __future__ import annotations


async def _categories(client, forum) -> list[tuple[str, str]]:
    listed = (await client.api("GET", f"/api/v1/communities/{forum.slug}/forum/categories")).json()["items"]
    return [(c["slug"], c["name"]) for c in listed]


async def test_categories_are_renamed_reordered_and_deleted_like_on_the_page(client, forum):
    await client.login_as(forum.animator)
    base = f"/api/v1/communities/{forum.slug}/forum/categories"
    for name in ("Outils", "Rencontres", "Lectures"):
        assert (await client.api("POST", base, json={"name": name})).status_code == 201
    topic = await forum.topic(forum.alice, category="lectures")

    renamed = await client.api("PATCH", f"{base}/outils", json={"name": "Outils libres", "description": "Logiciels"})
    assert renamed.status_code == 200
    assert renamed.json() == {"slug": "outils", "name": "Outils libres", "description": "Logiciels", "position": 0}
    moved = await client.api("PATCH", f"{base}/lectures", json={"position": 0})
    assert moved.status_code == 200 and moved.json()["position"] == 0
    assert await _categories(client, forum) == [("lectures", "Lectures"), ("outils", "Outils libres"),
                                                ("rencontres", "Rencontres")]
    last = await client.api("PATCH", f"{base}/lectures", json={"position": 99})
    assert last.json()["position"] == 2

    assert (await client.api("DELETE", f"{base}/lectures")).status_code == 204
    assert [slug for slug, _name in await _categories(client, forum)] == ["outils", "rencontres"]
    detail = (await client.api("GET", f"/api/v1/forum/topics/{topic.id}")).json()
    assert detail["category"] is None  # its topics stay, without category

    missing = await client.api("PATCH", f"{base}/nowhere", json={"name": "X"})
    assert missing.status_code == 404
    blank = await client.api("PATCH", f"{base}/outils", json={"name": "  "})
    assert blank.status_code == 422 and blank.json()["error"]["fields"]["name"]
    negative = await client.api("PATCH", f"{base}/outils", json={"position": -1})
    assert negative.status_code == 422


async def test_members_may_not_touch_categories_and_outsiders_learn_nothing(client, forum, factory):
    await forum.topic(forum.alice)
    await client.login_as(forum.animator)
    base = f"/api/v1/communities/{forum.slug}/forum/categories"
    await client.api("POST", base, json={"name": "Outils"})
    await client.login_as(forum.alice)
    refused = await client.api("PATCH", f"{base}/outils", json={"name": "Mine"})
    missing = await client.api("PATCH", f"{base}/nowhere", json={"name": "Mine"})
    assert refused.status_code == missing.status_code == 403  # existing or not: the same answer
    assert (await client.api("DELETE", f"{base}/outils")).status_code == 403
    assert await _categories(client, forum) == [("outils", "Outils")]


async def test_marking_a_topic_read(client, forum):
    topic = await forum.topic(forum.alice)
    for _ in range(3):
        await forum.reply(forum.bob, topic)
    await client.login_as(forum.alice)
    url = f"/api/v1/forum/topics/{topic.id}"
    unread = [t["unread"] for t in (await client.api("GET", f"/api/v1/communities/{forum.slug}/forum/topics"))
              .json()["items"]]
    assert unread == [0]  # never opened: the topic is "new", not counted as unread
    part = await client.api("PUT", f"{url}/read", json={"number": 2})
    assert part.status_code == 200 and part.json() == {"topic": topic.id, "last_read": 2, "unread": 2}
    listed = (await client.api("GET", f"/api/v1/communities/{forum.slug}/forum/topics")).json()["items"]
    assert listed[0]["unread"] == 2
    back = await client.api("PUT", f"{url}/read", json={"number": 1})
    assert back.json()["last_read"] == 2  # never moves back
    whole = await client.api("PUT", f"{url}/read", json={})
    assert whole.json() == {"topic": topic.id, "last_read": 4, "unread": 0}
    assert (await client.api("PUT", f"{url}/read", json={"number": 0})).status_code == 422
    assert (await client.api("PUT", "/api/v1/forum/topics/999999/read", json={})).status_code == 404


async def test_outsiders_cannot_mark_read(client, forum, factory):
    topic = await forum.topic(forum.alice)
    stranger = await factory.member("stranger")
    await client.login_as(stranger)
    refused = await client.api("PUT", f"/api/v1/forum/topics/{topic.id}/read", json={})
    assert refused.status_code == 403 and "members" in refused.json()["error"]["message"]
    client.cookies.clear()
    anonymous = await client.api("PUT", f"/api/v1/forum/topics/{topic.id}/read", json={}, headers={"X-CSRF-Token": "x"})
    assert anonymous.status_code in (401, 403)


async def test_following_a_forum_a_category_and_a_topic(client, forum, factory):
    from tisserand.plugins.forums.models import TopicState, Watch

    topic = await forum.topic(forum.alice)
    await client.login_as(forum.animator)
    await client.api("POST", f"/api/v1/communities/{forum.slug}/forum/categories", json={"name": "Outils"})
    await client.login_as(forum.bob)
    url = f"/api/v1/communities/{forum.slug}/forum/watch"
    on = await client.api("PUT", url, json={"on": True})
    assert on.status_code == 200 and on.json() == {"watching": True, "category": None}
    category = await client.api("PUT", url, json={"on": True, "category": "outils"})
    assert category.json() == {"watching": True, "category": "outils"}
    assert await Watch.filter(member_id=forum.bob.id).count() == 2
    await client.api("PUT", url, json={"on": False})
    assert await Watch.filter(member_id=forum.bob.id).count() == 1
    unknown = await client.api("PUT", url, json={"on": True, "category": "nowhere"})
    assert unknown.status_code == 422 and unknown.json()["error"]["fields"]["category"]
    followed = await client.api("PUT", f"/api/v1/forum/topics/{topic.id}/watch", json={"on": True})
    assert followed.json() == {"watching": True, "topic": topic.id}
    assert (await TopicState.get(topic_id=topic.id, member_id=forum.bob.id)).watching is True
    assert (await client.api("PUT", f"/api/v1/forum/topics/{topic.id}/watch", json={})).status_code == 422
    stranger = await factory.member("stranger")
    await client.login_as(stranger)
    refused = await client.api("PUT", url, json={"on": True})
    assert refused.status_code == 403 and "Join" in refused.json()["error"]["message"]


async def test_a_deleted_reply_is_restored_by_staff(client, forum):
    topic = await forum.topic(forum.alice)
    reply = await forum.reply(forum.bob, topic)
    await client.login_as(forum.bob)
    assert (await client.api("DELETE", f"/api/v1/forum/posts/{reply.id}")).json()["status"] == "deleted"
    refused = await client.api("POST", f"/api/v1/forum/posts/{reply.id}/restore", json={})
    assert refused.status_code == 403
    await client.login_as(forum.animator)
    restored = await client.api("POST", f"/api/v1/forum/posts/{reply.id}/restore", json={})
    assert restored.status_code == 200 and restored.json()["status"] == "published"
    assert restored.json()["number"] == 2
    again = await client.api("POST", f"/api/v1/forum/posts/{reply.id}/restore", json={})
    assert again.status_code == 409
