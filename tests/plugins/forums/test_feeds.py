"""Forum feeds: stable entry ids, RSS twins, per-topic and per-category feeds, links in heads."""

from __future__ import annotations

from xml.etree import ElementTree

import feedparser

from tisserand.plugins.forums import service


async def test_atom_entry_ids_stay_the_same_when_a_topic_is_renamed(client, forum):
    topic = await forum.topic(forum.alice, title="Ancien titre", body="Texte")
    before = feedparser.parse((await client.get(f"/c/{forum.slug}/forum.atom")).content).entries[0]
    await service.edit(await forum.view(forum.alice), topic.id, title="Nouveau titre", body="Texte")
    after = feedparser.parse((await client.get(f"/c/{forum.slug}/forum.atom")).content).entries[0]
    assert after.title == "Nouveau titre"
    assert after.id == before.id == f"tag:testserver,2024:content/{topic.id}"


async def test_the_rss_twin_is_valid_xml_with_the_rss_elements(client, forum):
    topic = await forum.topic(forum.alice, title="Premier sujet", body="Du **gras**")
    response = await client.get(f"/c/{forum.slug}/forum.rss")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/rss+xml")
    root = ElementTree.fromstring(response.content)
    assert root.tag == "rss" and root.get("version") == "2.0"
    channel = root.find("channel")
    assert channel is not None
    assert channel.findtext("title", "").endswith("forum") and channel.findtext("link")
    item = channel.find("item")
    assert item is not None and item.findtext("title") == "Premier sujet"
    assert item.findtext("link", "").endswith(f"/forum/t/{topic.id}-premier-sujet")
    guid = item.find("guid")
    assert guid is not None and guid.text == f"tag:testserver,2024:content/{topic.id}"
    assert guid.get("isPermaLink") == "false"
    assert "<strong>gras</strong>" in item.findtext("description", "")
    assert item.findtext("pubDate")


async def test_a_topic_has_its_own_feed_of_replies_and_pages_link_their_feeds(client, forum):
    topic = await forum.topic(forum.alice, title="Café virtuel", body="Quand ?")
    await forum.reply(forum.bob, topic, body="Le premier jeudi.")
    feed = feedparser.parse((await client.get(f"/c/{forum.slug}/forum/t/{topic.id}.atom")).content)
    assert not feed.bozo, feed.bozo_exception
    assert [e.title for e in feed.entries] == ["Re: Café virtuel", "Café virtuel"]
    assert "premier jeudi" in feed.entries[0].content[0].value
    rss = await client.get(f"/c/{forum.slug}/forum/t/{topic.id}.rss")
    assert ElementTree.fromstring(rss.content).tag == "rss"
    assert (await client.get(f"/c/{forum.slug}/forum/t/999999.atom")).status_code == 404
    page = await client.get(f"/c/{forum.slug}/forum/t/{topic.id}-cafe-virtuel")
    assert f'href="/c/{forum.slug}/forum/t/{topic.id}.atom"' in page.text
    assert 'type="application/rss+xml"' in page.text
