"""Notifications never leak (jobs: see test_jobs.py)."""

from tisserand.models import Notification
from tisserand.notify import notify


async def test_notifications_reach_only_those_who_may_see(site, factory):
    author, member, outsider = await factory.member(), await factory.member(), await factory.member()
    private = await factory.community(visibility="private", coordinator=author, members={member: "member"})
    content = await factory.content(private, author)
    assert await notify(member, "test", "Hello", community=private, content=content, actor=author)
    assert await notify(outsider, "test", "Hello", community=private, content=content) is None
    assert await notify(author, "test", "Self", community=private, actor=author) is None
    assert await Notification.filter(member_id=outsider.id).count() == 0


async def test_notify_many_tells_each_allowed_member_in_their_language_at_once(site, factory):
    from datetime import UTC, datetime

    from tisserand.events import Publication
    from tisserand.i18n import lazy_gettext
    from tisserand.models import LiveEvent
    from tisserand.notify import notify_many
    from tisserand.testing.queries import count_queries

    author = await factory.member()
    french, english, outsider = (await factory.member(locale="fr"), await factory.member(locale="en"),
                                 await factory.member())
    private = await factory.community(visibility="private", coordinator=author,
                                      members={french: "member", english: "member"})
    content = await factory.content(private, author)
    title = lazy_gettext("{name} mentioned you in “{title}”", name="Ana", title="Café")
    with count_queries() as queries:
        told = await notify_many([french, english, outsider, author], "test.many", title, actor=author,
                                 community=private, content=content,
                                 events=[Publication("topic:1", "test.other", {"n": 1})])
    assert len(queries) <= 3, queries.statements  # memberships, insert with the unread counts, live events
    assert [n.member_id for n in told] == [french.id, english.id]
    stored = {n.member_id: n for n in await Notification.filter(kind="test.many").order_by("id")}
    assert set(stored) == {french.id, english.id}  # not the outsider, not the actor
    assert stored[french.id].title == "Ana vous a mentionné dans «\u00a0Café\u00a0»"
    assert stored[english.id].title == "Ana mentioned you in “Café”"
    assert stored[english.id].data["i18n"]["title"]["params"] == {"name": "Ana", "title": "Café"}
    bells = dict(await LiveEvent.filter(kind="notifications.unread").values_list("member_id", "data"))
    assert bells == {french.id: {"unread": 1}, english.id: {"unread": 1}}  # the new one counted
    again = await notify_many([french], "test.many", title, actor=author, community=private, content=content)
    assert len(again) == 1
    latest = await LiveEvent.filter(kind="notifications.unread", member_id=french.id).order_by("-id").first()
    assert latest is not None and latest.data == {"unread": 2}
    assert await LiveEvent.filter(kind="test.other").count() == 1
    # what it returns is as stored: it can be saved again
    told[0].emailed_at = datetime.now(UTC)
    await told[0].save(update_fields=["emailed_at"])
    assert (await Notification.get(id=told[0].id)).emailed_at is not None


async def test_notify_many_stores_many_recipients_in_bounded_statements(site, factory, monkeypatch):
    """Drivers cap the parameters of a statement (about 3,300 notifications at once): a topic
    with thousands of watchers is told in batches, every one of them with their unread count."""
    from tisserand import events, notify
    from tisserand.models import LiveEvent
    from tisserand.testing.queries import count_queries

    monkeypatch.setattr(notify, "STORE_BATCH", 3)
    monkeypatch.setattr(events, "PUBLISH_BATCH", 4)
    author = await factory.member()
    readers = [await factory.member() for _ in range(8)]
    public = await factory.community(coordinator=author, members={reader: "member" for reader in readers})
    await notify.notify(readers[0], "test.earlier", "Earlier")
    with count_queries() as queries:
        told = await notify.notify_many(readers, "test.batch", "Hello", actor=author, community=public)
    inserts = [q for q in queries.statements if "INSERT INTO notification" in q]
    bell_inserts = [q for q in queries.statements if "INSERT INTO live_event" in q]
    assert (len(inserts), len(bell_inserts)) == (3, 2)  # 8 notifications by 3, 8 bells by 4
    assert [n.member_id for n in told] == [reader.id for reader in readers]
    assert await Notification.filter(kind="test.batch").count() == 8
    bells = {member_id: data["unread"] for member_id, data in await LiveEvent.filter(
        kind="notifications.unread").order_by("id").values_list("member_id", "data")}
    assert bells == {reader.id: (2 if reader is readers[0] else 1) for reader in readers}
