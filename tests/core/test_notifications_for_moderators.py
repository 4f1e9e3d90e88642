"""Review notifications reach moderators: the list shows what the bell counts, per viewer rights
(moderators may see content awaiting review; others are never told of it)."""

from __future__ import annotations

import pytest

from tisserand.models import Content, Notification
from tisserand.plugins.moderation.notices import tell_staff


@pytest.mark.plugins("moderation", "digests")
async def test_a_review_notification_is_listed_for_the_animator_who_is_told(client, factory, site):
    animator, author = await factory.member("anim"), await factory.member("autrice")
    community = await factory.community("jardins", members={animator: "animator", author: "member"})
    held = await factory.content(community, author, title="Un message retenu", body="à relire")
    await Content.filter(id=held.id).update(status="pending")
    held = await Content.get(id=held.id).select_related("community")
    told = await tell_staff(site, community, "moderation.review", lambda: ("A message waits for review", ""),
                            content=held)
    assert told >= 1
    assert await Notification.filter(member_id=animator.id, kind="moderation.review").exists()
    await client.login_as(animator)
    unread = (await client.get("/api/v1/me/notifications/unread")).json()["unread"]
    listed = (await client.get("/api/v1/me/notifications")).json()["items"]
    assert [n["title"] for n in listed] == ["A message waits for review"]
    assert unread == len(listed) == 1
    page = await client.get("/me/notifications")
    assert "A message waits for review" in page.text
