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
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from tisserand.i18n import Message, render, use_locale
from tisserand.models import Community, Content, Member, Membership, Notification
from tisserand.plugin_manager import call_safely
from tisserand.site import current_site
from tisserand.visibility import can_read_community, can_see_content_status, plugins_allow

if TYPE_CHECKING:
    from tisserand.events import Publication
    from tisserand.site import Site

__all__ = ["notification_texts", "notify", "notify_many"]


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


#: Notifications stored per statement (10 parameters each; SQLite and asyncpg cap a statement at
#: 32,766 and 32,767): a reply to a topic with thousands of watchers takes several statements.
STORE_BATCH = 500


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
    told = await notify_many([member], kind, title, text=text, url=url, actor=actor, community=community,
                             content=content, data=data, site=site)
    return told[0] if told else None


async def notify_many(
    members: list[Member],
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
    events: list[Publication] | None = None,
) -> list[Notification]:
    """:func:`notify` for several members at once (each in their own language), in a few
    statements whatever their number: the memberships (only when the community is not public
    or the content not published), one insert, the unread counts, one write of the live events
    (the bell of each member told, and ``events``: other live events of the caller, stored in
    the same statement). Returns the notifications stored, in the order of ``members``."""
    from tisserand.events import Publication, publish_many

    site = site or current_site()
    wanted = [m for m in dict.fromkeys(members) if not (actor is not None and actor.id == m.id)
              and m.is_active and not m.is_placeholder]
    if community is not None and wanted:
        wanted = await _may_receive_all(wanted, community, content)
    stored = dict(data or {})
    texts = {key: value.to_data() for key, value in (("title", title), ("text", text))
             if isinstance(value, Message)}
    if texts:
        stored["i18n"] = texts
    told: list[Notification] = []
    unread: dict[int, int] = {}
    for start in range(0, len(wanted), STORE_BATCH):  # bounded statements: drivers cap their parameters
        batch_told, batch_unread = await _store(site, wanted[start:start + STORE_BATCH], kind, title, text,
                                                url[:500], actor, community, content, stored)
        told += batch_told
        unread.update(batch_unread)
    for notification in told:
        await call_safely(site.hook.notification_created, notification=notification)
    bells = [Publication(f"member:{member.id}", "notifications.unread", {"unread": unread.get(member.id, 1)},
                         member=member) for member in wanted]
    await publish_many(site, bells + list(events or []))
    return told


async def _may_receive_all(members: list[Member], community: Community, content: Content | None) -> list[Member]:
    from tisserand.models import ContentStatus

    memberships: dict[int, Membership] = {}
    if community.visibility != "public" or (content is not None and content.status != ContentStatus.PUBLISHED):
        memberships = {m.member_id: m for m in await Membership.filter(
            community_id=community.id, member_id__in=[member.id for member in members])}
    allowed = []
    for member in members:
        membership = memberships.get(member.id)
        if not can_read_community(member, community, membership):
            continue
        if content is not None:
            staff = membership is not None and membership.role in ("coordinator", "animator")
            if not can_see_content_status(member, content, staff) or not await plugins_allow(content, member, community):
                continue
        allowed.append(member)
    return allowed


async def _store(site: Site, members: list[Member], kind: str, title: str | Message, text: str | Message,
                 url: str, actor: Member | None, community: Community | None, content: Content | None,
                 stored: dict[str, Any]) -> tuple[list[Notification], dict[int, int]]:
    """Insert one notification per member (one statement) and count each one's unread."""
    from tisserand.db import dialect, fetch_all, model_from_row

    now = datetime.now(UTC)
    default = site.settings.site.default_locale
    copies: dict[str, tuple[str, str]] = {}
    rows: list[tuple[Member, str, str]] = []
    params: list[Any] = []
    encoded = json.dumps(stored)
    for member in members:
        language = member.locale or default
        if language not in copies:
            with use_locale(language):
                copies[language] = (render(title)[:300], render(text))
        title_copy, text_copy = copies[language]
        rows.append((member, title_copy, text_copy))
        params += [member.id, kind, title_copy, text_copy, url, getattr(actor, "id", None),
                   getattr(community, "id", None), getattr(content, "id", None), encoded, now]
    insert = ("INSERT INTO notification (member_id, kind, title, text, url, actor_id, community_id, content_id, "
              "data, created_at) VALUES " + ", ".join(["(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"] * len(rows))
              + " RETURNING *")
    if dialect() == "postgres":  # the count runs on the snapshot before the insert: + 1
        found = await fetch_all(f"WITH stored AS ({insert}) SELECT s.*, 1 + (SELECT count(*) "
                                "FROM notification n WHERE n.member_id = s.member_id AND n.read_at IS NULL) "
                                "AS unread FROM stored s", params)
    else:  # SQLite computes RETURNING as each row goes in: the count sees it
        found = await fetch_all(insert + ", (SELECT count(*) FROM notification n WHERE n.member_id = "
                                "notification.member_id AND n.read_at IS NULL) AS unread", params)
    unread = {int(row["member_id"]): int(row["unread"]) for row in found}
    by_member = {int(row["member_id"]): row for row in found}
    told = []
    for member, _title, _text in rows:
        notification = model_from_row(Notification, by_member[member.id])  # as stored, as if read back
        notification.member = member
        notification.actor = actor
        notification.community = community
        notification.content = content
        told.append(notification)
    return told, unread


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
