"""The quiet-community alert, on generated activity: it fires once on a two-week lull, not on a
normal or a single quiet week, ends when activity comes back, and fires again on the next lull."""

from __future__ import annotations

from datetime import date, timedelta

from tests.plugins.insights.conftest import local
from tisserand.models import Content, Notification
from tisserand.plugins.insights.aggregate import aggregate
from tisserand.plugins.insights.models import Alert
from tisserand.plugins.insights.quiet import check_quiet, levels
from tisserand.plugins.insights.record import day_of, record_content, record_visit, utcnow


async def busy_day(crew, day: date) -> None:
    """A normal day: two topics and four readers."""
    people = [crew.coordinator, crew.animator, *crew.members]
    for i in range(2):
        author = people[(day.toordinal() + i) % len(people)]
        topic = await Content.create(kind="forum.topic", community=crew.community, author=author, title="Sujet")
        await record_content(topic, True, at=local(day, 10 + i))
    for i in range(4):
        await record_visit(crew.community.id, people[(day.toordinal() * 3 + i) % len(people)].id, at=local(day, 18))


async def quiet_day(crew, day: date) -> None:
    """A lull: one reader every third day."""
    if day.toordinal() % 3 == 0:
        await record_visit(crew.community.id, crew.members[0].id, at=local(day, 18))


async def live(crew, first: date, last: date, kind) -> None:
    day = first
    while day <= last:
        await kind(crew, day)
        day += timedelta(days=1)


async def test_a_two_week_lull_is_told_once_to_coordinators(site, crew):
    today = day_of(utcnow())
    await live(crew, today - timedelta(days=98), today - timedelta(days=15), busy_day)
    await live(crew, today - timedelta(days=14), today - timedelta(days=1), quiet_day)
    await aggregate(site, today)
    level = (await levels(today))[crew.community.id]
    assert level.usual is not None and level.usual > 15 and max(level.recent) < 3
    opened = await check_quiet(site, today)
    assert [a.community_id for a in opened] == [crew.community.id]
    notes = await Notification.filter(kind="insights.quiet")
    assert [n.member_id for n in notes] == [crew.coordinator.id]
    assert "quiet for two weeks" in notes[0].title and "call to all" in notes[0].text
    assert notes[0].url == f"/c/{crew.slug}/insights"
    # The share is kept as a number: each reader gets it written their way, when reading.
    from tisserand.i18n import use_locale
    from tisserand.notify import notification_texts

    _title, text = notification_texts(notes[0].title, notes[0].text, notes[0].data)
    ratio = round(site.plugin_settings("insights").quiet_ratio * 100)
    with use_locale("fr"):
        assert f"sous {ratio}\u00a0% de son niveau habituel" in str(text)
    with use_locale("en"):
        assert f"below {ratio}% of its usual level" in str(text)
    # Once per lull: the next runs say nothing more.
    assert await check_quiet(site, today) == []
    assert await check_quiet(site, today + timedelta(days=1)) == []
    assert await Notification.filter(kind="insights.quiet").count() == 1

    # Activity comes back: the alert ends.
    back = today + timedelta(days=7)
    await live(crew, today, back - timedelta(days=1), busy_day)
    await aggregate(site, back)
    assert await check_quiet(site, back) == []
    alert = await Alert.get(community_id=crew.community.id)
    assert alert.ended_on == back
    # A new lull two weeks later is a new alert.
    again = back + timedelta(days=14)
    await live(crew, back, again - timedelta(days=1), quiet_day)
    await aggregate(site, again)
    assert len(await check_quiet(site, again)) == 1
    assert await Notification.filter(kind="insights.quiet").count() == 2


async def test_a_normal_week_or_a_single_quiet_week_is_not_a_lull(site, crew):
    today = day_of(utcnow())
    await live(crew, today - timedelta(days=98), today - timedelta(days=8), busy_day)
    await live(crew, today - timedelta(days=7), today - timedelta(days=1), quiet_day)
    await aggregate(site, today)
    assert await check_quiet(site, today) == []
    normal = today - timedelta(days=7)
    assert await check_quiet(site, normal) == []
    assert not await Notification.filter(kind="insights.quiet").exists()


async def test_a_young_or_tiny_community_gets_no_alert(site, crew, factory):
    today = day_of(utcnow())
    # Three weeks of history are not enough to know the usual level.
    await live(crew, today - timedelta(days=21), today - timedelta(days=15), busy_day)
    await aggregate(site, today)
    assert (await levels(today))[crew.community.id].usual is None
    assert await check_quiet(site, today) == []


async def test_a_small_calm_community_is_not_alerted_for_nothing(site, crew):
    today = day_of(utcnow())

    async def calm(crew, day):
        if day.weekday() in (1, 4):
            await record_visit(crew.community.id, crew.members[day.weekday()].id, at=local(day, 12))

    await live(crew, today - timedelta(days=98), today - timedelta(days=15), calm)
    await aggregate(site, today)
    level = (await levels(today))[crew.community.id]
    assert level.usual is not None and level.usual < 5 and max(level.recent) == 0
    assert await check_quiet(site, today) == []


async def test_the_aggregate_command_raises_the_quiet_alert_as_the_job_does(site, crew, tmp_path):
    """``tisserand insights aggregate`` does the hourly job's whole work, in a real process."""
    import asyncio
    import os
    import subprocess
    import sys

    today = day_of(utcnow())
    await live(crew, today - timedelta(days=98), today - timedelta(days=15), busy_day)
    await live(crew, today - timedelta(days=14), today - timedelta(days=1), quiet_day)
    folder = tmp_path / "instance"
    folder.mkdir()
    (folder / "tisserand.toml").write_text(
        '[site]\nsecret_key = "test-secret-key-not-for-production-0123456789"\nbase_url = "http://testserver"\n'
        f'[database]\nurl = "{site.settings.database_url}"\n[mail]\nbackend = "console"\n'
        '[plugins]\nenabled = ["insights"]\n', encoding="utf-8")
    command = [sys.executable, "-m", "tisserand.cli.main", "--instance", str(folder), "insights", "aggregate"]
    done = await asyncio.to_thread(subprocess.run, command, capture_output=True, text=True, timeout=120,
                                   env={**os.environ, "TISSERAND_INSTANCE": ""})
    assert done.returncode == 0, done.stderr
    assert "1 quiet-community alerts opened" in done.stdout
    assert await Alert.filter(community_id=crew.community.id, ended_on__isnull=True).exists()
    assert [n.member_id for n in await Notification.filter(kind="insights.quiet")] == [crew.coordinator.id]
