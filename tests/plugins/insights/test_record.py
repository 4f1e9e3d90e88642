"""What the core's hooks record: contributions, moderation, members coming and going, readers."""

from __future__ import annotations

from tisserand.content import Verdict, set_status, update_content
from tisserand.db import fetch_all
from tisserand.models import Community
from tisserand.plugins.insights.models import Event, Review, Thread, Visit
from tisserand.testing.queries import count_queries


async def test_content_hooks_record_topics_replies_and_edits(factory, crew):
    author, other = crew.members[0], crew.members[1]
    topic = await factory.content(crew.community, author, kind="forum.topic", title="Un sujet")
    own = await factory.content(crew.community, author, kind="forum.post", parent=topic, body="Précision")
    reply = await factory.content(crew.community, other, kind="forum.post", parent=topic, body="Réponse")
    nested = await factory.content(crew.community, author, kind="forum.post", parent=reply, body="Merci")
    await update_content(topic, editor=author, body="Corrigé")
    events = [(e.content_id, e.action, e.root_id, e.member_id) for e in await Event.all().order_by("id")]
    assert events == [(topic.id, "new", topic.id, author.id), (own.id, "reply", topic.id, author.id),
                      (reply.id, "reply", topic.id, other.id), (nested.id, "reply", topic.id, author.id),
                      (topic.id, "edit", topic.id, author.id)]
    thread = await Thread.get(content_id=topic.id)
    # The author's own follow-up is not an answer; the other member's reply is.
    first = await Event.get(content_id=reply.id)
    assert thread.first_reply_at == first.happened_at


async def test_held_content_is_counted_once_approved(site_factory):
    class Holder:
        from tisserand import hookimpl

        @hookimpl
        def content_check(self, content, author, community):
            return Verdict.hold("first post") if content.title == "Hold me" else None

    site = await site_factory(enabled=["insights"], extra_plugins={"holder": Holder()})
    from tisserand.testing.factory import Factory

    factory = Factory(site)
    member = await factory.member("nouvelle")
    community = await factory.community("modere", members={member: "member"})
    held = await factory.content(community, member, kind="forum.topic", title="Hold me")
    event = await Event.get(content_id=held.id)
    assert event.counted is False
    assert await Review.filter(content_id=held.id, resolved_at__isnull=True).count() == 1
    await set_status(held, "published", actor=None)
    assert (await Event.get(content_id=held.id)).counted is True
    assert await Review.filter(content_id=held.id, resolved_at__isnull=True).count() == 0


async def test_members_joining_and_leaving(factory, crew):
    from tisserand.communities import join, leave

    newcomer = await factory.member("arrivee")
    community = await Community.get(id=crew.community.id)
    await join(newcomer, community)
    await leave(newcomer, await Community.get(id=crew.community.id))
    actions = [(e.action, e.member_id) for e in await Event.filter(kind="membership").order_by("id")]
    assert actions == [("join", newcomer.id), ("leave", newcomer.id)]


async def test_a_member_reading_pages_is_recorded_once_a_day_without_slowing_pages(client, crew, factory):
    member = crew.members[0]
    await client.login_as(member)
    assert (await client.get(f"/c/{crew.slug}")).status_code == 200
    assert [(v.community_id, v.member_id) for v in await Visit.all()] == [(crew.community.id, member.id)]
    # The next pages of the day write nothing and ask nothing more.
    with count_queries() as queries:
        assert (await client.get(f"/c/{crew.slug}")).status_code == 200
    assert not [q for q in queries.statements if "insights_visit" in q]
    assert await Visit.all().count() == 1
    # Outsiders reading a public community are not its active members.
    await client.login_as(crew.outsider)
    await client.get(f"/c/{crew.slug}")
    assert await Visit.filter(member_id=crew.outsider.id).count() == 0
    # Where insights is switched off, nothing is recorded.
    quiet = await factory.community("sans-mesure", plugins=[], members={member: "member"})
    await client.login_as(member)
    await client.get(f"/c/{quiet.slug}")
    assert await Visit.filter(community_id=quiet.id).count() == 0


async def test_a_failing_recorder_never_breaks_the_writer(factory, crew, monkeypatch):
    from tisserand.plugins.insights import record

    async def broken(*args, **kwargs):
        raise RuntimeError("database on fire")

    monkeypatch.setattr(record, "record_content", broken)
    topic = await factory.content(crew.community, crew.members[0], kind="forum.topic", title="Toujours là")
    assert topic.id and not await fetch_all("SELECT id FROM insights_event")
