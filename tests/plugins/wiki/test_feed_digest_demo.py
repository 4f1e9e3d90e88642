"""The Atom feed of recent changes, digest sections, the home panel and the demo content."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from xml.etree import ElementTree

import feedparser

from tisserand.plugins.wiki.hooks import digest_sections
from tisserand.plugins.wiki.models import WikiPage, WikiRevision


async def test_the_atom_feed_lists_recent_changes_with_links_to_diffs(wiki, client):
    await wiki.save(wiki.alice, "guide", "v1", title="Guide d'accueil", summary="Création")
    await wiki.save(wiki.bob, "guide", "v2", summary="Corrections")
    await wiki.save(wiki.alice, "coulisses", "secret", title="Coulisses", visibility="members")
    response = await client.get(wiki.url + ".atom")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    titles = [entry.title for entry in feed.entries]
    assert titles == ["Guide d'accueil (revision 2)", "Guide d'accueil (revision 1)"]
    assert feed.entries[0].link == "http://testserver/c/carnets/wiki/guide/diff?from=1&to=2"
    assert feed.entries[0].summary == "Corrections" and feed.entries[0].author == wiki.bob.name
    assert "Coulisses" not in response.text
    content_id = int(feed.entries[0].id.split("content/")[1].split("/")[0])
    assert feed.entries[0].id == f"tag:testserver,2024:content/{content_id}/revision/2"  # stable if the page moves
    rss = await client.get(wiki.url.removesuffix("/wiki") + "/wiki.rss")
    assert rss.headers["content-type"].startswith("application/rss+xml")
    assert ElementTree.fromstring(rss.content).find("channel/item/guid").text == feed.entries[0].id


async def test_a_digest_lists_the_pages_others_changed(wiki, site):
    since = datetime.now(UTC) - timedelta(minutes=1)
    await wiki.save(wiki.alice, "mine", "by alice only", title="Mine")
    await wiki.save(wiki.bob, "guide", "v1", title="Guide")
    await wiki.save(wiki.coordinator, "guide", "v2")
    await wiki.save(wiki.bob, "coulisses", "x", title="Coulisses", visibility="members")
    until = datetime.now(UTC) + timedelta(minutes=1)
    sections = await digest_sections(wiki.alice, wiki.community, since, until)
    assert len(sections) == 1
    items = {item.text: item for item in sections[0].items}
    assert set(items) == {"Guide", "Coulisses"}  # not her own page
    assert "2 changes" in items["Guide"].detail and "New page" in items["Guide"].detail
    assert items["Guide"].url == "http://testserver/c/carnets/wiki/guide"
    outsider = await digest_sections(wiki.outsider, wiki.community, since, until)
    assert [item.text for item in outsider[0].items] == ["Guide", "Mine"]
    assert await digest_sections(wiki.bob, wiki.community, until, until + timedelta(days=1)) is None


async def test_a_digest_links_to_the_diff_of_an_older_page(wiki, site):
    await wiki.save(wiki.alice, "guide", "v1", title="Guide")
    since = datetime.now(UTC)
    await wiki.save(wiki.bob, "guide", "v2")
    await wiki.save(wiki.bob, "guide", "v3")
    sections = await digest_sections(wiki.alice, wiki.community, since, datetime.now(UTC) + timedelta(seconds=5))
    assert sections[0].items[0].url.endswith("/c/carnets/wiki/guide/diff?from=1&to=3")


async def test_the_community_home_shows_the_latest_changes(wiki, client):
    await wiki.save(wiki.alice, "guide", "v1", title="Guide d'accueil")
    await wiki.save(wiki.bob, "guide", "v2")
    await wiki.save(wiki.alice, "coulisses", "x", title="Coulisses", visibility="members")
    response = await client.get(f"/c/{wiki.slug}")
    assert response.status_code == 200
    panel = response.text.split('class="card wiki-home-panel"')[1].split("</section>")[0]
    assert panel.count("Guide d&#39;accueil") == 1 and wiki.bob.name in panel  # its latest change
    assert "Coulisses" not in panel


async def test_the_core_feed_and_search_link_pages_and_hide_members_only_ones(wiki, client):
    await wiki.save(wiki.alice, "guide", "Le café virtuel du mardi.", title="Guide du café")
    await wiki.save(wiki.alice, "coulisses", "Le café confidentiel du mardi.", title="Coulisses",
                    visibility="members")
    for who in (None, wiki.outsider, wiki.bob):
        if who is not None:
            await client.login_as(who)
        feed = await client.get("/?scope=all")
        search = await client.get("/search?q=mardi")
        assert feed.status_code == 200 and search.status_code == 200
        assert 'href="/c/carnets/wiki/guide"' in feed.text
        assert 'href="/c/carnets/wiki/guide"' in search.text
        member = who is wiki.bob
        assert ("/c/carnets/wiki/coulisses" in feed.text) is member
        assert ("/c/carnets/wiki/coulisses" in search.text) is member


async def test_demo_content_makes_a_welcome_guide_with_history(site, factory):
    from tisserand.demo import populate

    communities = await populate(site)
    guide = await WikiPage.get(community_id=communities["animateurs"].id, path="guide/accueil").select_related("content")
    assert guide.content.title == "Guide d’accueil" and guide.current_revision == 3
    authors = await WikiRevision.filter(page_id=guide.id).order_by("number").values_list("author_name", flat=True)
    assert len(set(authors)) == 3
    assert "wikilink-missing" in guide.content.html  # the charter is still to be written
    assert 'href="/c/animateurs/wiki/guide/rituels"' in guide.content.html
    review = await WikiPage.get(community_id=communities["animateurs"].id, path="coulisses/bilan")
    assert review.visibility == "members"
    sheet = await WikiPage.get(community_id=communities["open-data"].id, path="licences/cheat-sheet")
    assert sheet.licence == "CC-BY-4.0" and sheet.current_revision == 2


async def test_the_legacy_page_lists_the_most_revised_pages(wiki, site):
    from tisserand.plugins.wiki.hooks import legacy_sections

    await wiki.save(wiki.alice, "guide", "v1", title="Guide")
    await wiki.save(wiki.bob, "guide", "v2")
    await wiki.save(wiki.coordinator, "guide", "v3")
    await wiki.save(wiki.alice, "faq", "v1", title="FAQ")
    await wiki.save(wiki.alice, "coulisses", "x", title="Coulisses", visibility="members")
    sections = await legacy_sections(wiki.community, None)
    items = sections[0].items
    assert [item.text for item in items] == ["Guide", "FAQ"]
    assert items[0].detail == "3 revisions · 3 contributors"
    assert "Coulisses" in [item.text for item in (await legacy_sections(wiki.community, wiki.bob))[0].items]
