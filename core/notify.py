"""In-app notifications: the one way for any plugin to tell a member something.

:func:`notify` never leaks: it stores nothing when the recipient may not read the community or
see the content. A delivery plugin (digests) hears of each one through ``notification_created``.

Text is data until it is read: give ``title`` and ``text`` as :func:`tisserand.i18n.lazy_gettext`
messages; they are stored as message ids and parameters (``data["i18n"]``) and rendered in the
reader's language by :func:`notification_texts`. The ``title``/``text`` columns keep a copy in
the recipient's language for outside readers of the table. An excerpt of member-written content
is plain text: pass it through :func:`tisserand.markdown.plain_excerpt`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from tisserand.i18n import Message, render, use_locale
from tisserand.models import Community, Content, Member, Membership, Notification
from tisserand.plugin_manager import call_safely
from tisserand.site import current_site
from tisserand.visibility import can_read_community, can_see_content_status, plugins_allow

if TYPE_CHECKING:
    from tisserand.site import Site

__all__ = ["notification_texts", "notify"]


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
    title: str | Message,
    *,
    text: str | Message = "",
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
    stored = dict(data or {})
    texts = {key: value.to_data() for key, value in (("title", title), ("text", text))
             if isinstance(value, Message)}
    if texts:
        stored["i18n"] = texts
    with use_locale(member.locale or site.settings.site.default_locale):
        title_copy, text_copy = render(title), render(text)
    notification = await Notification.create(
        member=member, kind=kind, title=title_copy[:300], text=text_copy, url=url[:500], actor=actor,
        community=community, content=content, data=stored,
    )
    await call_safely(site.hook.notification_created, notification=notification)
    await publish_unread(site, member)
    return notification


async def publish_unread(site: Site, member: Member) -> None:
    """Tell ``member``'s open pages their unread count (the bell), as a live event."""
    from tisserand.events import publish

    await publish(site, f"member:{member.id}", "notifications.unread", {"unread": await unread_count(member)},
                  member=member)


async def unread_count(member: Member) -> int:
    """How many notifications ``member`` has not read."""
    return await Notification.filter(member_id=member.id, read_at__isnull=True).count()


def _stored(data: Any) -> Mapping[str, Any]:
    if isinstance(data, str):  # raw SQL rows give JSON as text on SQLite
        try:
            data = json.loads(data or "{}")
        except ValueError:
            return {}
    return data if isinstance(data, Mapping) else {}


def notification_texts(title: str, text: str, data: Any) -> tuple[str | Message, str | Message]:
    """The title and text of a stored notification, as messages rendered in the reader's
    language when shown (``str()`` or ``{{ }}``); rows stored as plain text come back as they are."""
    texts = _stored(data).get("i18n") or {}
    title_message = Message.from_data(texts["title"]) if isinstance(texts.get("title"), Mapping) else title
    text_message = Message.from_data(texts["text"]) if isinstance(texts.get("text"), Mapping) else text
    return title_message, text_message
