"""The lifecycle job: reminders 30 and 7 days before the planned end (exactly once each, to
coordinators, in their language), archiving at the end after a reminder, extension."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest

from tisserand.models import Community, Notification
from tisserand.plugins.archive.jobs import run_lifecycle
from tisserand.plugins.archive.models import Reminder

END = date(2027, 6, 30)


def at(day: date, hour: int = 9) -> datetime:
    """A moment on ``day`` (site time zone Europe/Paris is UTC+1/+2: 9h UTC is the same day)."""
    return datetime.combine(day, time(hour), tzinfo=UTC)


async def _community(factory, **kwargs):
    coordinator = await factory.member("coord", locale="fr")
    second = await factory.member("coord2", locale="en")
    member = await factory.member("membre")
    community = await factory.community("saisonniere", coordinator=coordinator,
                                        members={second: "coordinator", member: "member"}, **kwargs)
    await Community.filter(id=community.id).update(ends_on=END)
    return community, coordinator, second, member


async def test_reminders_go_out_30_and_7_days_before_exactly_once(site, factory):
    _community_, coordinator, second, member = await _community(factory)
    assert (await run_lifecycle(site, at(END - timedelta(days=31)))).reminders == []
    sent = []
    for offset in (30, 30, 29, 12, 8, 7, 7, 6, 1):
        for hour in (0, 9, 23):
            sent += (await run_lifecycle(site, at(END - timedelta(days=offset), hour))).reminders
    assert sent == [("saisonniere", 30), ("saisonniere", 7)]
    notes = await Notification.filter(kind="archive.reminder").order_by("id")
    assert sorted(n.member_id for n in notes) == sorted([coordinator.id, second.id] * 2)
    assert member.id not in {n.member_id for n in notes}
    french = [n.title for n in notes if n.member_id == coordinator.id]
    english = [n.title for n in notes if n.member_id == second.id]
    assert french[0].startswith("Saisonniere se termine dans 30 jours")
    assert english[1] == "Saisonniere ends in 7 days, on June 30, 2027"
    assert all(n.url == "/c/saisonniere/lifecycle" for n in notes)


async def test_a_late_planned_end_gets_only_the_most_urgent_reminder(site, factory):
    await _community(factory)
    report = await run_lifecycle(site, at(END - timedelta(days=5)))
    assert report.reminders == [("saisonniere", 7)]
    assert [r.days_before for r in await Reminder.all()] == [7]


async def test_the_job_archives_at_the_end_after_the_reminders(site, factory):
    community, *_ = await _community(factory)
    await run_lifecycle(site, at(END - timedelta(days=7)))
    assert (await run_lifecycle(site, at(END - timedelta(days=1)))).archived == []
    assert not (await Community.get(id=community.id)).is_archived
    report = await run_lifecycle(site, at(END))
    assert report.archived == ["saisonniere"]
    archived = await Community.get(id=community.id)
    assert archived.is_archived
    told = await Notification.filter(kind="archive.archived").count()
    assert told == 3  # every active member hears of it, with a link to the legacy
    assert (await run_lifecycle(site, at(END + timedelta(days=1)))).archived == []


async def test_an_end_without_any_reminder_is_announced_first(site, factory):
    community, *_ = await _community(factory)
    report = await run_lifecycle(site, at(END))  # the job did not run before (or the end was just set)
    assert report.reminders == [("saisonniere", 7)] and report.archived == []
    assert (await run_lifecycle(site, at(END, 20))).archived == []  # less than a day's notice
    assert (await run_lifecycle(site, at(END + timedelta(days=1), 10))).archived == ["saisonniere"]
    assert (await Community.get(id=community.id)).is_archived


async def test_extending_the_end_means_new_reminders_for_the_new_date(site, factory):
    community, *_ = await _community(factory)
    await run_lifecycle(site, at(END - timedelta(days=7)))
    later = END + timedelta(days=60)
    await Community.filter(id=community.id).update(ends_on=later)
    assert (await run_lifecycle(site, at(END))).archived == []
    report = await run_lifecycle(site, at(later - timedelta(days=30)))
    assert report.reminders == [("saisonniere", 30)]
    assert not (await Community.get(id=community.id)).is_archived


async def test_communities_without_the_plugin_or_without_an_end_are_left_alone(site, factory):
    coordinator = await factory.member("coord")
    other = await factory.community("sans-archive", coordinator=coordinator, plugins=["forums"])
    await Community.filter(id=other.id).update(ends_on=END)
    await factory.community("sans-fin", coordinator=coordinator)
    report = await run_lifecycle(site, at(END + timedelta(days=3)))
    assert report.reminders == [] and report.archived == []


async def test_the_job_is_registered_for_the_scheduler(site):
    from tisserand.jobs import all_jobs

    job = all_jobs(site)["archive.lifecycle"]
    assert job.every <= timedelta(days=1)


async def test_reminder_days_come_from_the_settings(site_factory):
    from tisserand.plugin_manager import PluginError
    from tisserand.testing.factory import Factory

    with pytest.raises(PluginError, match="reminder days"):
        await site_factory(config={"plugins": {"archive": {"reminder_days": [0]}}})
    site = await site_factory(config={"plugins": {"archive": {"reminder_days": [14, 3], "auto_archive": False}}})
    factory = Factory(site)
    community = await factory.community("courte", coordinator=await factory.member("coord"))
    await Community.filter(id=community.id).update(ends_on=END)
    assert (await run_lifecycle(site, at(END - timedelta(days=14)))).reminders == [("courte", 14)]
    assert (await run_lifecycle(site, at(END - timedelta(days=7)))).reminders == []
    assert (await run_lifecycle(site, at(END - timedelta(days=3)))).reminders == [("courte", 3)]
    assert (await run_lifecycle(site, at(END + timedelta(days=5)))).archived == []  # auto_archive off
