"""A plugin switched off, site-wide or in one community, takes its content with it everywhere:
the content API, search, the home feed, the community home, profiles, notifications, digests."""

from __future__ import annotations

import pytest

from tisserand.models import Notification
from tisserand.plugin_manager import plugins_switched_on

OWNED = {"forum.topic": "forums", "wiki.page": "wiki", "meetups.meetup": "meetups", "digests.call": "digests",
         "moderation.demo": "moderation"}


async def _world(factory):
    author = await factory.member("autrice")
    reader = await factory.member("lecteur")
    community = await factory.community("jardins", members={author: "member", reader: "member"})
    items = {}
    for kind in [*OWNED, "test.note"]:
        items[kind] = await factory.content(community, author, kind=kind, title=f"Potager {kind}",
                                            body=f"Les tomates {kind.replace('.', ' ')}")
        await Notification.create(member=reader, kind="mention", title=f"About {kind}", community=community,
                                  content=items[kind], actor=author)
    return author, reader, community, items


async def _reachable(client, reader, items) -> dict[str, set[str]]:
    """For each place, which kinds show up there (as an anonymous visitor, then as the reader)."""
    seen: dict[str, set[str]] = {}
    for kind, item in items.items():
        if (await client.get(f"/api/v1/content/{item.id}")).status_code == 200:
            seen.setdefault("api", set()).add(kind)
    pages = {"search": "/search?q=tomates", "home": "/", "community": "/c/jardins", "profile": "/u/autrice"}
    for place, url in pages.items():
        html = (await client.get(url)).text
        seen[place] = {kind for kind in items if f"Potager {kind}" in html}
    await client.login_as(reader)
    answer = await client.get("/api/v1/me/notifications")
    assert answer.status_code == 200, answer.text
    listed = answer.json()["items"]
    seen["notifications"] = {n["title"].removeprefix("About ") for n in listed}
    seen["notifications page"] = {kind for kind in items
                                  if f"About {kind}" in (await client.get("/me/notifications")).text}
    seen["bell"] = {str((await client.get("/api/v1/me/notifications/unread")).json()["unread"])}
    digest = (await client.get("/api/v1/me/digest/preview?period=daily")).json()
    digest["text"] = digest["text"].replace("\u200b", "")  # names and titles are kept from becoming links
    assert "About test.note" in digest["text"]  # the preview is not empty: the check means something
    seen["digest"] = {kind for kind in items if f"About {kind}" in digest["text"] or f"Potager {kind}" in digest["text"]}
    client.logout_locally()
    return seen


@pytest.mark.plugins("digests")
async def test_plugins_switched_off_site_wide_leave_with_their_content(client, factory, site):
    _author, reader, _community, items = await _world(factory)
    seen = await _reachable(client, reader, items)
    for place in ("api", "search", "home", "community", "profile", "notifications", "notifications page", "digest"):
        assert seen[place] <= {"test.note", "digests.call"}, (place, seen[place])
        assert "test.note" in seen[place], place  # unclaimed kinds stay
    assert seen["bell"] == {"2"}  # the bell counts what the list shows
    assert site.plugins.kind_owner("wiki.page") == "wiki" and not site.plugins.kind_active("wiki.page")


async def test_plugins_switched_off_in_one_community_leave_with_their_content(client, factory, site):
    author, reader, community, items = await _world(factory)
    before = await _reachable(client, reader, items)
    assert "forum.topic" in before["api"] and "forum.topic" in before["search"]
    coordinator = await factory.member("coord")
    await factory.add_member(community, coordinator, "coordinator")
    await client.login_as(coordinator)
    kept = [name for name in site.plugins.enabled if name not in ("forums", "wiki", "meetups", "moderation")]
    saved = await client.post_form("/c/jardins/settings/plugins", {"plugins": kept})
    assert saved.status_code == 303
    client.logout_locally()
    seen = await _reachable(client, reader, items)
    for place in ("api", "search", "home", "community", "profile", "notifications", "notifications page", "digest"):
        assert not seen[place] & {"forum.topic", "wiki.page", "meetups.meetup", "moderation.demo"}, (place, seen)
        assert "test.note" in seen[place], place
    assert seen["bell"] == {"2"}


def test_a_community_gets_plugins_the_site_enables_later():
    switches = {"forums": True, "wiki": False}  # edited once, when the site had forums and wiki
    assert plugins_switched_on(["forums", "wiki", "surveys"], switches) == ["forums", "surveys"]
    assert plugins_switched_on(["forums", "wiki"], None) == ["forums", "wiki"]
    assert plugins_switched_on(["forums", "wiki"], ["wiki"]) == ["wiki"]  # older data, before the migration
