"""Scheduled jobs run once per interval across processes; notifications never leak."""

import asyncio
from datetime import UTC, datetime, timedelta

from tisserand.jobs import Job, claim
from tisserand.models import Notification
from tisserand.notify import notify


async def nothing(site):
    return None


async def test_a_job_is_claimed_once_per_interval(site):
    job = Job("tests.hourly", nothing, every=timedelta(hours=1))
    now = datetime.now(UTC)
    results = await asyncio.gather(*[claim(job, now) for _ in range(5)])
    assert results.count(True) == 1
    assert not await claim(job, now + timedelta(minutes=30))
    later = await asyncio.gather(*[claim(job, now + timedelta(hours=2)) for _ in range(3)])
    assert later.count(True) == 1


async def test_notifications_reach_only_those_who_may_see(site, factory):
    author, member, outsider = await factory.member(), await factory.member(), await factory.member()
    private = await factory.community(visibility="private", coordinator=author, members={member: "member"})
    content = await factory.content(private, author)
    assert await notify(member, "test", "Hello", community=private, content=content, actor=author)
    assert await notify(outsider, "test", "Hello", community=private, content=content) is None
    assert await notify(author, "test", "Self", community=private, actor=author) is None
    assert await Notification.filter(member_id=outsider.id).count() == 0
