"""In-app notifications: the bell, /me/notifications, marking read, the API, no leaks."""

from __future__ import annotations

from tisserand.models import Notification
from tisserand.notify import notify
from tisserand.testing.queries import count_queries


async def _inbox(dsite, dfactory, count=3):
    me = await dfactory.member("mia", display_name="Mia Membre")
    actor = await dfactory.member("actor", display_name="Arthur Acteur")
    community = await dfactory.community("place", name="La Place", coordinator=actor, members={me: "member"})
    for i in range(count):
        await notify(me, "test.ping", f"Ping number {i}", url=f"/c/place#p{i}", actor=actor,
                     community=community, site=dsite)
    return me, actor, community


async def test_bell_shows_the_unread_count_in_one_query(dsite, dfactory, dclient):
    from tisserand.plugins.digests.navigation import bell

    me, _actor, _community = await _inbox(dsite, dfactory, 3)
    with count_queries() as queries:
        [item] = await bell(me)
    assert len(queries) == 1
    assert item.url == "/me/notifications" and item.label == "Notifications (3)"

    with count_queries() as queries:
        [again] = await bell(me)
    assert len(queries) == 0 and again.label == "Notifications (3)"  # remembered a few seconds

    await dclient.login_as(me)
    page = await dclient.get("/me/notifications")
    assert 'href="/me/notifications"' in page.text and "Notifications (3)" in page.text


async def test_the_bell_counts_again_after_a_change_in_this_process(dsite, dfactory, dclient):
    from tisserand.plugins.digests.inbox import BELL_SECONDS
    from tisserand.plugins.digests.navigation import bell

    me, actor, community = await _inbox(dsite, dfactory, 2)
    assert (await bell(me))[0].label == "Notifications (2)"
    await notify(me, "test.ping", "One more", url="/c/place", actor=actor, community=community, site=dsite)
    assert (await bell(me))[0].label == "Notifications (3)"

    await dclient.login_as(me)
    await dclient.post_form("/me/notifications/read-all")
    page = await dclient.get("/")
    assert "Notifications (" not in page.text

    # A change made by another process (here: straight in the table) shows within BELL_SECONDS.
    await notify(me, "test.ping", "Later", url="/c/place", actor=actor, community=community, site=dsite)
    assert (await bell(me))[0].label == "Notifications (1)"
    await Notification.filter(member_id=me.id).update(read_at=None)
    assert (await bell(me))[0].label == "Notifications (1)"
    dsite.extra["digests.bell"].put(me.id, 1, seconds=-1)  # as if BELL_SECONDS had passed
    assert (await bell(me))[0].label == "Notifications (4)"
    assert 5 <= BELL_SECONDS <= 60


async def test_page_lists_newest_first_and_marks_read(dsite, dfactory, dclient):
    me, _actor, _community = await _inbox(dsite, dfactory, 3)
    await dclient.login_as(me)

    page = await dclient.get("/me/notifications")
    assert page.status_code == 200
    assert page.text.index("Ping number 2") < page.text.index("Ping number 0")
    assert "3 unread notifications" in page.text

    first = await Notification.filter(member_id=me.id).order_by("id").first()
    marked = await dclient.post_form(f"/me/notifications/{first.id}/read", {"next": "/me/notifications"})
    assert marked.status_code == 303
    assert (await Notification.get(id=first.id)).read_at is not None

    everything = await dclient.post_form("/me/notifications/read-all")
    assert everything.status_code == 303
    assert await Notification.filter(member_id=me.id, read_at__isnull=True).count() == 0
    again = await dclient.get("/me/notifications")
    assert "Nothing unread." in again.text and "Notifications (" not in again.text


async def test_opening_a_notification_marks_it_read_and_follows_it(dsite, dfactory, dclient):
    me, _actor, _community = await _inbox(dsite, dfactory, 1)
    await dclient.login_as(me)
    item = await Notification.get(member_id=me.id)

    response = await dclient.get(f"/me/notifications/{item.id}")

    assert response.status_code == 303 and response.headers["location"] == "/c/place#p0"
    assert (await Notification.get(id=item.id)).read_at is not None


async def test_someone_elses_notification_is_not_found(dsite, dfactory, dclient):
    me, actor, _community = await _inbox(dsite, dfactory, 1)
    mine = await Notification.get(member_id=me.id)
    await dclient.login_as(actor)

    assert (await dclient.get(f"/me/notifications/{mine.id}")).status_code == 404
    assert (await dclient.post_form(f"/me/notifications/{mine.id}/read")).status_code == 404
    assert (await dclient.api("POST", f"/api/v1/me/notifications/{mine.id}/read")).status_code == 404
    assert (await Notification.get(id=mine.id)).read_at is None


async def test_page_needs_a_log_in(dclient):
    response = await dclient.get("/me/notifications")
    assert response.status_code in (302, 303, 401)


async def test_api_lists_pages_and_marks_read(dsite, dfactory, dclient):
    me, _actor, _community = await _inbox(dsite, dfactory, 5)
    await dclient.login_as(me)

    first = (await dclient.get("/api/v1/me/notifications?limit=2")).json()
    assert [i["title"] for i in first["items"]] == ["Ping number 4", "Ping number 3"]
    assert first["items"][0]["actor"] == {"username": "actor", "name": "Arthur Acteur"}
    assert first["items"][0]["community"] == {"slug": "place", "name": "La Place"}
    assert first["items"][0]["read"] is False
    second = (await dclient.get(f"/api/v1/me/notifications?limit=2&cursor={first['next']}")).json()
    assert [i["title"] for i in second["items"]] == ["Ping number 2", "Ping number 1"]

    one = await dclient.api("POST", f"/api/v1/me/notifications/{first['items'][0]['id']}/read")
    assert one.status_code == 200 and one.json()["read"] is True
    assert (await dclient.get("/api/v1/me/notifications/unread")).json() == {"unread": 4}
    unread = (await dclient.get("/api/v1/me/notifications?unread=true")).json()["items"]
    assert len(unread) == 4

    some = await dclient.api("POST", "/api/v1/me/notifications/read", json={"ids": [unread[0]["id"]]})
    assert some.json() == {"marked": 1, "unread": 3}
    rest = await dclient.api("POST", "/api/v1/me/notifications/read", json={})
    assert rest.json() == {"marked": 3, "unread": 0}


async def test_api_rejects_bad_input(dsite, dfactory, dclient):
    me, _actor, _community = await _inbox(dsite, dfactory, 1)
    await dclient.login_as(me)
    assert (await dclient.get("/api/v1/me/notifications?limit=1000")).status_code == 422
    assert (await dclient.get("/api/v1/me/notifications?cursor=abc")).status_code == 422
    bad = await dclient.api("POST", "/api/v1/me/notifications/read", json={"ids": "all"})
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "invalid"
    dclient.logout_locally()
    assert (await dclient.get("/api/v1/me/notifications")).status_code == 401


async def test_notifications_about_a_private_community_i_left_disappear(dsite, dfactory, dclient):
    from tisserand.communities import leave

    me = await dfactory.member("mia")
    boss = await dfactory.member("boss")
    private = await dfactory.community("club", visibility="private", coordinator=boss, members={me: "member"})
    await notify(me, "test.secret", "Secret plans for the club", url="/c/club", actor=boss,
                 community=private, site=dsite)
    await leave(me, private, site=dsite)
    await dclient.login_as(me)

    listed = (await dclient.get("/api/v1/me/notifications")).json()["items"]
    page = await dclient.get("/me/notifications")

    assert listed == [] and "Secret plans" not in page.text


async def test_page_queries_do_not_grow_with_the_list(dsite, dfactory, dclient):
    me, actor, community = await _inbox(dsite, dfactory, 2)
    await dclient.login_as(me)
    with count_queries() as few:
        await dclient.get("/me/notifications")
    for i in range(20):
        await notify(me, "test.ping", f"More {i}", actor=actor, community=community, site=dsite)
    with count_queries() as many:
        await dclient.get("/me/notifications")
    assert len(many) == len(few)


async def test_api_me_has_the_digest_frequency(dsite, dfactory, dclient):
    me, _actor, _community = await _inbox(dsite, dfactory, 2)
    await dclient.login_as(me)
    response = await dclient.get("/api/v1/me")
    if response.status_code == 404:  # the core account API is not there yet
        from tisserand.plugins.digests.navigation import account_fields

        fields = await account_fields(me)
    else:
        fields = response.json()
    assert fields["digest_frequency"] == "weekly" and fields["unread_notifications"] == 2


async def test_delivery_plugins_hear_of_each_notification(site_factory):
    """The core announces every stored notification through ``notification_created`` (a
    delivery plugin could e-mail or push it); refused ones are not announced."""
    from typing import Any

    from tisserand import hookimpl
    from tisserand.testing.factory import Factory

    heard: list[Any] = []

    class Listener:
        @hookimpl
        def notification_created(self, notification: Any) -> None:
            heard.append(notification)

    site = await site_factory(enabled=["digests"], extra_plugins={"listener": Listener()})
    factory = Factory(site)
    boss = await factory.member("boss")
    insider = await factory.member("insider")
    outsider = await factory.member("outsider")
    club = await factory.community("club", visibility="private", coordinator=boss, members={insider: "member"})

    told = await notify(insider, "test.ping", "For members", community=club, site=site)
    refused = await notify(outsider, "test.ping", "For members", community=club, site=site)

    assert refused is None
    assert [n.id for n in heard] == [told.id]
