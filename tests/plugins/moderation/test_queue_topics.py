"""Queue items name the topic (the parent item) they belong to and give an absolute link, in the
API and on the queue page."""

from __future__ import annotations

from tests.plugins.moderation.conftest import post_note


async def test_a_held_reply_comes_with_its_topic_and_link(client, site, place):
    await client.login_as(place["members"][0])
    topic = (await post_note(client, "atelier", "Quel outil pour nos cafés ?", title="Nos cafés virtuels")).json()
    client.logout_locally()
    await client.login_as(place["troll"])
    held = (await post_note(client, "atelier", "Tabarnak, c'est encore en panne", parent=topic["id"])).json()
    assert held["status"] == "pending"
    client.logout_locally()
    await client.login_as(place["animator"])
    items = (await client.api("GET", "/api/v1/communities/atelier/moderation/queue")).json()["items"]
    assert len(items) == 1
    item = items[0]
    assert item["content"]["id"] == held["id"]
    assert item["topic"] == {"id": topic["id"], "kind": "notes.note", "title": "Nos cafés virtuels",
                             "url": f"/c/atelier/notes/{topic['id']}"}
    assert item["link"] == site.settings.site.base_url + f"/c/atelier/notes/{held['id']}"
    page = await client.get("/c/atelier/moderation")
    assert f'<a href="/c/atelier/notes/{topic["id"]}">Nos cafés virtuels</a>' in page.text


async def test_an_item_without_parent_has_no_topic(client, place):
    await client.login_as(place["troll"])
    held = (await post_note(client, "atelier", "Tabarnak, c'est encore en panne", title="Panne")).json()
    client.logout_locally()
    await client.login_as(place["coordinator"])
    item = (await client.api("GET", "/api/v1/communities/atelier/moderation/queue")).json()["items"][0]
    assert item["content"]["id"] == held["id"] and item["topic"] is None and item["link"].endswith(
        f"/c/atelier/notes/{held['id']}")
