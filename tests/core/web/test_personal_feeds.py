"""Site-wide and personal feeds: the secret URL works without a cookie, shows only what its
owner may read, dies on reset; entry ids are stable; the account page offers the reset."""

from __future__ import annotations

from xml.etree import ElementTree

import feedparser

from tests.core.web.helpers import note
from tisserand.models import Content


async def _feeds(client, member) -> dict:
    await client.login_as(member)
    response = await client.api("GET", "/api/v1/me/feeds")
    assert response.status_code == 200, response.text
    client.logout_locally()
    return response.json()


async def test_the_personal_feed_shows_my_private_community_without_a_cookie(client, factory):
    me = await factory.member("myself")
    secret_club = await factory.community("hidden-club", visibility="private", members={me: "member"})
    await note(factory, secret_club, me, title="Private plans")
    urls = await _feeds(client, me)
    assert set(urls) >= {"atom_url", "rss_url", "calendar_url"}
    assert urls["calendar_url"] is None  # no plugin offers a calendar here
    path = urls["atom_url"].removeprefix("http://testserver")
    response = await client.get(path)  # no cookie
    assert response.status_code == 200
    assert response.headers["cache-control"] == "private, no-store"
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    assert [e.title for e in feed.entries] == ["Private plans"]
    rss = ElementTree.fromstring((await client.get(path.removesuffix("atom") + "rss")).content)
    assert rss.findtext("channel/item/title") == "Private plans"
    assert "Private plans" not in (await client.get("/feed.atom")).text  # the public feed


async def test_an_outsiders_secret_url_gives_nothing_of_a_private_community(client, factory):
    member = await factory.member("insider")
    outsider = await factory.member("outsider")
    club = await factory.community("closed-club", visibility="private", members={member: "member"})
    await note(factory, club, member, title="Members only")
    urls = await _feeds(client, outsider)
    response = await client.get(urls["atom_url"].removeprefix("http://testserver"))
    assert response.status_code == 200
    assert "Members only" not in response.text
    assert feedparser.parse(response.content).entries == []
    assert (await client.get("/feeds/not-a-secret/atom")).status_code == 404


async def test_reset_kills_the_old_url_and_gives_a_new_one(client, factory):
    me = await factory.member("myself")
    old = await _feeds(client, me)
    again = await _feeds(client, me)
    assert again == old  # stable until reset
    await client.login_as(me)
    reset = await client.api("POST", "/api/v1/me/feeds/reset")
    assert reset.status_code == 200
    new = reset.json()
    client.logout_locally()
    assert new["atom_url"] != old["atom_url"]
    assert (await client.get(old["atom_url"].removeprefix("http://testserver"))).status_code == 404
    assert (await client.get(new["atom_url"].removeprefix("http://testserver"))).status_code == 200
    assert (await client.api("GET", "/api/v1/me/feeds")).status_code == 401


async def test_the_account_page_shows_the_addresses_and_resets_them(client, factory):
    me = await factory.member("myself")
    await client.login_as(me)
    page = await client.get("/me")
    before = (await client.api("GET", "/api/v1/me/feeds")).json()
    assert before["atom_url"] in page.text and 'action="/me/feeds/reset"' in page.text
    refused = await client.post("/me/feeds/reset", data={})  # no CSRF token
    assert refused.status_code == 403
    done = await client.post_form("/me/feeds/reset", {})
    assert done.status_code == 303
    after = (await client.api("GET", "/api/v1/me/feeds")).json()
    assert after["atom_url"] != before["atom_url"]
    assert "Your feeds" in page.text
    me.locale = "fr"
    await me.save(update_fields=["locale"])
    french = await client.get("/me")
    assert "Vos flux" in french.text and "Créer de nouvelles adresses" in french.text


async def test_the_site_feed_has_public_content_with_stable_ids(client, factory):
    author = await factory.member("writer")
    public = await factory.community("open-club")
    item = await note(factory, public, author, title="First title")
    first = feedparser.parse((await client.get("/feed.atom")).content).entries
    await Content.filter(id=item.id).update(title="Renamed")
    second = feedparser.parse((await client.get("/feed.atom")).content).entries
    assert [e.title for e in second] == ["Renamed"]
    assert first[0].id == second[0].id == f"tag:testserver,2024:content/{item.id}"
    rss = ElementTree.fromstring((await client.get("/feed.rss")).content)
    assert rss.get("version") == "2.0" and rss.findtext("channel/item/guid") == first[0].id
    home = await client.get("/")
    assert 'type="application/atom+xml"' in home.text and 'href="/feed.rss"' in home.text


async def test_items_marked_unlisted_stay_out_of_feeds(client, factory):
    author = await factory.member("writer")
    public = await factory.community("open-club")
    await note(factory, public, author, title="Shown")
    hidden = await note(factory, public, author, title="Stands for nothing")
    await Content.filter(id=hidden.id).update(meta={"listed": False})
    titles = [i["title"] for i in (await client.api("GET", "/api/v1/feed")).json()["items"]]
    assert titles == ["Shown"]
