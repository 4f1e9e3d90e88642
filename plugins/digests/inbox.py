"""A member's in-app notifications: the bell's count, the list (keyset pages), marking read.

Notifications are stored by the core (:func:`tisserand.notify.notify`). The list leaves out
those about what the member may no longer see (they left a private community, the content was
hidden), so a notification never leaks what its title says.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from tisserand.cache import ExpiringCache
from tisserand.db import execute, fetch_all, fetch_one
from tisserand.notify import notification_texts
from tisserand.plugins.digests.build import VISIBLE_NOTIFICATION
from tisserand.plugins.digests.util import as_datetime, marks
from tisserand.site import current_site
from tisserand.visibility import active_content_sql

if TYPE_CHECKING:
    from tisserand.models import Member

_FROM = (
    "FROM notification n JOIN member rm ON rm.id = n.member_id "
    "LEFT JOIN member am ON am.id = n.actor_id "
    "LEFT JOIN community c ON c.id = n.community_id "
    "LEFT JOIN content ct ON ct.id = n.content_id "
)


async def unread_count(member: Member) -> int:
    """Unread notifications of ``member`` that the list shows (same rules as :func:`page`:
    what they may see now), for the bell on every page."""
    active, params = await active_content_sql("ct.kind", "ct.community_id")
    row = await fetch_one(f"SELECT COUNT(*) AS n {_FROM} WHERE n.member_id = ? AND n.read_at IS NULL "
                          f"AND {VISIBLE_NOTIFICATION} AND {active}", [member.id, *params])
    return int(row["n"]) if row else 0


#: How long the bell's count of a member is remembered by a process. This process forgets it
#: when it stores a notification for them or marks some read; another process's change shows
#: within these seconds (open pages get it at once through the ``notifications.unread`` event).
BELL_SECONDS = 15.0


def _bell_counts() -> ExpiringCache:
    cache: ExpiringCache = current_site().extra.setdefault("digests.bell", ExpiringCache(size=10_000))
    return cache


async def bell_count(member: Member) -> int:
    """:func:`unread_count` for the bell on every page, remembered for ``BELL_SECONDS``."""
    counts = _bell_counts()
    count = counts.get(member.id)
    if count is None:
        count = await unread_count(member)
        counts.put(member.id, count, BELL_SECONDS)
    return int(count)


def forget_bell(member_id: int) -> None:
    """The member's bell is read again on their next page (this process changed the count)."""
    _bell_counts().forget(member_id)


async def page(member: Member, *, before: int | None = None, unread_only: bool = False,
               limit: int = 30) -> tuple[list[dict[str, Any]], int | None]:
    """Newest first: one page of notifications and the id to continue ``before`` (or None)."""
    active, active_params = await active_content_sql("ct.kind", "ct.community_id")
    conditions = ["n.member_id = ?", VISIBLE_NOTIFICATION, active]
    params: list[Any] = [member.id, *active_params]
    if before is not None:
        conditions.append("n.id < ?")
        params.append(before)
    if unread_only:
        conditions.append("n.read_at IS NULL")
    rows = await fetch_all(
        "SELECT n.id, n.kind, n.title, n.text, n.data, n.url, n.read_at, n.created_at, n.content_id, "
        "am.username AS actor_username, am.display_name AS actor_name, "
        "c.slug AS community_slug, c.name AS community_name "
        f"{_FROM} WHERE {' AND '.join(conditions)} ORDER BY n.id DESC LIMIT ?",
        [*params, limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    return [_item(r) for r in rows], (rows[-1]["id"] if more and rows else None)


def _item(row: dict[str, Any]) -> dict[str, Any]:
    actor = None
    if row["actor_username"]:
        actor = {"username": row["actor_username"], "name": row["actor_name"] or row["actor_username"]}
    community = None
    if row["community_slug"]:
        community = {"slug": row["community_slug"], "name": row["community_name"]}
    read_at = as_datetime(row["read_at"])
    title, text = notification_texts(row["title"], row["text"], row["data"])
    return {
        "id": row["id"], "kind": row["kind"], "title": str(title), "text": str(text),
        "url": row["url"], "actor": actor, "community": community, "content_id": row["content_id"],
        "read": read_at is not None, "read_at": read_at, "created_at": as_datetime(row["created_at"]),
    }


async def get(member: Member, notification_id: int) -> dict[str, Any] | None:
    """One of the member's notifications (None if it is not theirs or not visible)."""
    active, params = await active_content_sql("ct.kind", "ct.community_id")
    rows = await fetch_all(
        "SELECT n.id, n.kind, n.title, n.text, n.data, n.url, n.read_at, n.created_at, n.content_id, "
        "am.username AS actor_username, am.display_name AS actor_name, "
        "c.slug AS community_slug, c.name AS community_name "
        f"{_FROM} WHERE n.id = ? AND n.member_id = ? AND {VISIBLE_NOTIFICATION} AND {active}",
        [notification_id, member.id, *params])
    return _item(rows[0]) if rows else None


async def mark_read(member: Member, ids: list[int] | None = None) -> int:
    """Mark the given notifications (all when ``ids`` is None) read; returns how many changed."""
    now = datetime.now(UTC)
    if ids is None:
        query, params = ("UPDATE notification SET read_at = ? WHERE member_id = ? AND read_at IS NULL",
                         [now, member.id])
    elif not ids:
        return 0
    else:
        query = (f"UPDATE notification SET read_at = ? WHERE member_id = ? AND read_at IS NULL "
                 f"AND id IN ({marks(ids)})")
        params = [now, member.id, *ids]
    changed = await execute(query, params)
    forget_bell(member.id)
    return int(changed)
