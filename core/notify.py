"""In-app notifications: the one way for any plugin to tell a member something.

:func:`notify` never leaks: it stores nothing when the recipient may not read the community or
see the content. A delivery plugin (digests) hears of each one through ``notification_created``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tisserand.models import Community, Content, Member, Membership, Notification
from tisserand.plugin_manager import call_safely
from tisserand.site import current_site
from tisserand.visibility import can_read_community, can_see_content_status, plugins_allow

if TYPE_CHECKING:
    from tisserand.site import Site


async def may_receive(member: Member, community: Community | None, content: Content | None) -> bool:
    """May ``member`` learn about ``community``/``content``?"""
    if not member.is_active or member.is_placeholder:
        return False
    if community is None:
        return True
    membership = await Membership.get_or_none(member_id=member.id, community_id=community.id)
    if not can_read_community(member, community, membership):
        return False
    if content is not None:
        staff = membership is not None and membership.role in ("coordinator", "animator")
        return can_see_content_status(member, content, staff) and await plugins_allow(content, member, community)
    return True


async def notify(
    member: Member,
    kind: str,
    title: str,
    *,
    text: str = "",
    url: str = "",
    actor: Member | None = None,
    community: Community | None = None,
    content: Content | None = None,
    data: dict[str, Any] | None = None,
    site: Site | None = None,
) -> Notification | None:
    """Store a notification for ``member`` and announce it; None when it must not reach them
    (no right to see it, or the member is the actor)."""
    site = site or current_site()
    if actor is not None and actor.id == member.id:
        return None
    if not await may_receive(member, community, content):
        return None
    notification = await Notification.create(
        member=member, kind=kind, title=title[:300], text=text, url=url[:500], actor=actor,
        community=community, content=content, data=data or {},
    )
    await call_safely(site.hook.notification_created, notification=notification)
    return notification


async def unread_count(member: Member) -> int:
    """How many notifications ``member`` has not read."""
    return await Notification.filter(member_id=member.id, read_at__isnull=True).count()
