"""The home feed: my communities plus public content, scope and order filters, cursor pages,
constant query counts on / and /c/{slug}."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from tests.core.web.helpers import note
from tisserand.models import Content
from tisserand.testing.queries import count_queries


def titles(html: str) -> list[str]:
    return re.findall(r'<h3 id="item-\d+"><a href="[^"]*">([^<]*)</a>', html)


async def test_scope_mine_and_all(client, factory):
    me = await factory.member("myself")
    mine = await factory.community("mine", members={me: "member"})
    public = await factory.community("public-other")
    private = await factory.community("private-other", visibility="private")
    await note(factory, mine, me, title="In my community")
    await note(factory, public, await factory.member(), title="Public elsewhere")
    await note(factory, private, await factory.member(), title="Private elsewhere")
    await client.login_as(me)
    everything = titles((await client.get("/")).text)
    assert set(everything) == {"In my community", "Public elsewhere"}
    only_mine = titles((await client.get("/?scope=mine")).text)
    assert only_mine == ["In my community"]
    anonymous = titles((await (await _anonymous(client)).get("/?scope=mine")).text)
    assert set(anonymous) == {"In my community", "Public elsewhere"}  # visitors have no "mine": public


async def _anonymous(client):
    client.logout_locally()
    return client


async def test_order_by_activity_or_by_publication(client, factory):
    author = await factory.member("author")
    community = await factory.community("lieu")
    old = await note(factory, community, author, title="Old topic")
    await note(factory, community, author, title="New topic")
    # a reply moves the old topic up in "latest activity" (replies are not listed themselves)
    await factory.content(community, author, kind="probe.note", title="", body="A reply", parent=old)
    assert titles((await client.get("/?order=activity")).text) == ["Old topic", "New topic"]
    assert titles((await client.get("/?order=recent")).text) == ["New topic", "Old topic"]
    assert "1 reply" in (await client.get("/")).text


async def test_bad_filters_are_a_friendly_422(client):
    response = await client.get("/?order=random")
    assert response.status_code == 422 and "<main" in response.text
    assert (await client.get("/?cursor=%%%")).status_code == 400
    assert (await client.get("/api/v1/feed?scope=everything")).json()["error"]["code"] == "invalid"


async def test_cursor_pages_walk_every_item_once(client, factory):
    author = await factory.member("author")
    community = await factory.community("lieu")
    base = datetime(2026, 1, 1, tzinfo=UTC)
    for index in range(45):
        item = await note(factory, community, author, title=f"Item {index:02d}")
        # several items share a timestamp: the id breaks ties
        await Content.filter(id=item.id).update(activity_at=base + timedelta(minutes=index // 3))
    seen: list[str] = []
    url = "/"
    for _ in range(5):
        page = await client.get(url)
        seen += titles(page.text)
        cursor = re.search(r'href="\?scope=all&amp;order=activity&amp;cursor=([^"]+)"', page.text)
        if cursor is None:
            break
        url = f"/?cursor={cursor.group(1)}"
    assert len(seen) == 45 and len(set(seen)) == 45
    assert seen[0] == "Item 44" and seen[-1] == "Item 00"
    api = await client.get("/api/v1/feed?limit=40")
    body = api.json()
    assert len(body["items"]) == 40 and body["next"]
    rest = (await client.get(f"/api/v1/feed?limit=40&cursor={body['next']}")).json()
    assert len(rest["items"]) == 5 and rest["next"] is None
    assert set(body["items"][0]) >= {"id", "kind", "title", "url", "community", "author", "created_at"}


async def test_pending_hidden_and_narrowed_content_stay_out(client, factory):
    author = await factory.member("author")
    community = await factory.community("lieu")
    hidden = await note(factory, community, author, title="Taken down")
    await Content.filter(id=hidden.id).update(status="hidden")
    await note(factory, community, author, title="hidden by probe")
    await note(factory, community, author, title="Fine")
    assert titles((await client.get("/")).text) == ["Fine"]


async def test_empty_feed_invites_to_join(client, factory):
    await client.login_as(await factory.member("newbie"))
    page = await client.get("/?scope=mine")
    assert "Nothing new in your communities yet" in page.text and 'href="/c/"' in page.text


async def _queries(client, url: str) -> int:
    with count_queries() as queries:
        response = await client.get(url)
    assert response.status_code == 200
    return len(queries)


async def test_home_and_community_query_counts_do_not_grow_with_content(client, factory):
    me = await factory.member("myself")
    communities = [await factory.community(f"lieu-{i}", members={me: "member"}) for i in range(3)]
    authors = [await factory.member() for _ in range(3)]
    for index in range(3):
        await note(factory, communities[index], authors[index])
    await client.login_as(me)
    few_home = await _queries(client, "/")
    few_community = await _queries(client, "/c/lieu-0")
    for index in range(30):
        author = authors[index % 3]
        await factory.add_member(communities[0], author, "animator")
        topic = await note(factory, communities[index % 3], author, title=f"Topic {index}")
        await factory.content(communities[index % 3], author, kind="probe.note", body="reply", parent=topic)
    many_home = await _queries(client, "/")
    many_community = await _queries(client, "/c/lieu-0")
    assert many_home == few_home, "the home feed's queries grow with content"
    assert many_community == few_community, "the community page's queries grow with content"
    assert many_home <= 6 and many_community <= 9, (many_home, many_community)


async def test_a_feed_item_seen_before_shows_every_change(client, factory):
    """Feed items are rendered once and reused (FragmentCache): a reply, a new title, another
    author name or another language must still show at once."""
    author = await factory.member("author", display_name="Alice Martin")
    community = await factory.community("lieu")
    topic = await note(factory, community, author, title="Before")
    for path in ("/", "/c/lieu"):
        first = (await client.get(path)).text
        assert titles(first) == ["Before"] and "reply" not in first and "réponse" not in first
    await factory.content(community, author, kind="probe.note", body="A reply", parent=topic)
    await Content.filter(id=topic.id).update(title="After")
    author.display_name = "Alice Dupont"
    await author.save(update_fields=["display_name"])
    for path in ("/", "/c/lieu"):
        client.cookies.set("tisserand_locale", "en")
        english = (await client.get(path)).text
        assert titles(english) == ["After"] and "1 reply" in english and "Alice Dupont" in english
        client.cookies.set("tisserand_locale", "fr")
        french = (await client.get(path)).text
        assert "1 réponse" in french and "Alice Dupont" in french and "Alice Martin" not in french


def test_the_fragment_key_holds_every_field_of_a_feed_item():
    from dataclasses import fields, replace

    from tisserand.web.pages.feed import FeedItem

    item = FeedItem(id=1, kind="k", title="t", excerpt="e", url="/u", community_slug="s", community_name="n",
                    community_visibility="public", author_username="a", author_name="A", author_initials="A",
                    created_at=datetime(2026, 1, 1, tzinfo=UTC), activity_at=None, reply_count=0, status="published")
    changed = {"id": 2, "reply_count": 3, "note": "x", "lang": "fr", "activity_at": datetime(2026, 2, 1, tzinfo=UTC),
               "event_at": datetime(2026, 3, 1, tzinfo=UTC), "created_at": datetime(2026, 1, 2, tzinfo=UTC)}
    for field in fields(FeedItem):
        other = replace(item, **{field.name: changed.get(field.name, f"other {field.name}")})
        assert other.fragment_key != item.fragment_key, f"FeedItem.fragment_key misses {field.name}"
