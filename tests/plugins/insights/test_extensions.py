"""Other plugins add their numbers through ``insights_daily_metrics``; insights tables travel in
archive bundles."""

from __future__ import annotations

from datetime import timedelta
from zipfile import ZipFile

from tests.plugins.insights.conftest import generate
from tisserand import hookimpl
from tisserand.bundle import Bundle
from tisserand.plugins.insights.aggregate import aggregate
from tisserand.plugins.insights.bundle import export_insights, import_insights
from tisserand.plugins.insights.metrics import contributors, weekly
from tisserand.plugins.insights.models import Daily, Event
from tisserand.plugins.insights.record import day_of, utcnow


class Attendance:
    """Stands for the meet-ups plugin: five people at a meet-up every Tuesday; and a moderation
    plugin with three open flags every day."""

    @hookimpl
    def insights_daily_metrics(self, community, day, start, end):
        numbers = {"moderation.open": 3}
        if day.weekday() == 1:
            numbers["meetups.attendance"] = 5
        return numbers


async def test_a_plugin_reports_meetup_attendance(site_factory):
    from tisserand.testing.factory import Factory

    site = await site_factory(enabled=["insights"], extra_plugins={"attendance": Attendance()})
    factory = Factory(site)
    community = await factory.community("rencontres")
    today = day_of(utcnow())
    await Event.create(community_id=community.id, kind="membership", action="join", happened_at=utcnow(),
                       day=today - timedelta(days=20))
    await aggregate(site, today)
    series = await weekly(community.id, weeks=2, today=today)
    last_full = series[0]
    assert last_full.extra["meetups.attendance"] == 5
    assert last_full.extra["moderation.open"] == 3  # a level: the week's last value, not a sum
    assert last_full.as_json()["meetup_attendance"] == 5


async def test_insights_round_trip_through_a_bundle(tmp_path, site, crew, factory):
    today = day_of(utcnow())
    await generate(crew, weeks=3, today=today)
    await aggregate(site, today)
    before = [w.as_json() for w in await weekly(crew.community.id, 3, today)]
    people_before = await contributors(crew.community.id, 30, today=today)
    path = tmp_path / "bundle.zip"
    bundle = Bundle.create(path)
    await export_insights(crew.community, bundle)
    bundle.close()
    with ZipFile(path) as archive:
        assert "insights/daily.jsonl" in archive.namelist() and "insights/visit.jsonl" not in archive.namelist()
    copy = await factory.community("copie", coordinator=crew.coordinator)
    reading = Bundle(ZipFile(path), writing=False)
    reading._names = set(reading.zip.namelist())  # what Bundle.open() reads from the zip's directory
    reading.member_ids = {m.id: m.id for m in (crew.coordinator, crew.animator, *crew.members)}
    # The core part of the import gives every content item a new id; here, a shifted one.
    from tisserand.models import Content

    reading.content_ids = {cid: cid + 100_000 for cid in await Content.all().values_list("id", flat=True)}
    await import_insights(copy, reading)
    from tisserand.plugins.insights.models import Thread

    assert await Thread.filter(community_id=copy.id, content_id__gt=100_000).count() == await Thread.filter(
        community_id=crew.community.id).count()
    assert await Daily.filter(community_id=copy.id).count() == await Daily.filter(community_id=crew.community.id).count()
    after = [w.as_json() for w in await weekly(copy.id, 3, today)]
    assert after == before
    assert await contributors(copy.id, 30, today=today) == people_before


async def test_backfill_rebuilds_history_written_before_insights_was_on(site, factory):
    from tisserand.models import Community, Content
    from tisserand.plugins.insights.backfill import backfill

    author, helper = await factory.member("autrice"), await factory.member("aidant")
    community = await factory.community("ancienne", plugins=[], members={author: "member", helper: "member"})
    topic = await factory.content(community, author, kind="forum.topic", title="Avant les mesures")
    await factory.content(community, helper, kind="forum.post", parent=topic, body="Réponse")
    await factory.content(community, author, kind="wiki.page", title="Guide")
    assert not await Event.filter(community_id=community.id).exists()
    await Community.filter(id=community.id).update(plugins=["insights"])
    community = await Community.get(id=community.id)
    added = await backfill(site, [community])
    assert added["items"] == 3 and added["topics"] == 1 and added["members"] == 3
    week = (await weekly(community.id, weeks=1))[0]
    assert (week.posts, week.replies, week.wiki_edits, week.answered, week.joined) == (1, 1, 1, 1, 3)
    again = await backfill(site, [community])
    assert again["items"] == again["topics"] == again["members"] == 0
    assert await Content.filter(community_id=community.id).count() == 3
