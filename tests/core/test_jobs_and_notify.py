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
