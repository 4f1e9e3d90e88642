"""Recording what happens, one cheap insert at a time, from the core's hooks.

Nothing here computes a metric: the ``insights.aggregate`` job does that later from these raw
rows. A failure here is logged and swallowed: counting must never stop someone from posting,
joining or reading.
"""

from __future__ import annotations

import logging
from datetime import date, datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from tisserand.db import as_datetime, execute, fetch_one, utcnow
from tisserand.site import current_site

if TYPE_CHECKING:
    from tisserand.models import Content, Membership

log = logging.getLogger("tisserand.insights")
CONTRIBUTIONS = ("new", "reply", "edit")


def zone() -> ZoneInfo:
    """The site's time zone: days are counted in it."""
    try:
        return ZoneInfo(current_site().settings.site.timezone)
    except Exception:  # a bad zone name must not stop counting
        return ZoneInfo("UTC")


def day_of(moment: datetime) -> date:
    """The site's local day of ``moment``."""
    return moment.astimezone(zone()).date()


def as_date(value: Any) -> date:
    """A date from a raw SQL row (SQLite answers with ISO strings)."""
    if isinstance(value, datetime):
        return value.date()
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def settings() -> Any:
    """The ``[plugins.insights]`` section."""
    return current_site().plugin_settings("insights")


async def mark_dirty(community_id: int, day: date) -> None:
    """Ask the next aggregation to compute ``day`` again (only needed for past days)."""
    if day >= day_of(utcnow()):
        return
    await execute("INSERT INTO insights_dirty (community_id, day) VALUES (?, ?) ON CONFLICT DO NOTHING",
                  [community_id, day])


# --- Reading ------------------------------------------------------------------------------------

_SEEN_LIMIT = 200_000


def _seen() -> dict[tuple[int, int], date]:
    """(community id, member id) → the latest day a visit was recorded, in this process and for
    this site. It only spares the database the same insert again: the unique index is what
    keeps one row a day, whatever the number of processes."""
    extra = current_site().extra
    seen = extra.get("insights.seen")
    if seen is None or len(seen) > _SEEN_LIMIT:
        seen = extra["insights.seen"] = {}
    return seen


async def record_visit(community_id: int, member_id: int, at: datetime | None = None) -> bool:
    """Note that a member read the community that day; True when a row was written."""
    day = day_of(at or utcnow())
    key = (community_id, member_id)
    seen = _seen()
    if seen.get(key) == day:
        return False
    await execute("INSERT INTO insights_visit (community_id, member_id, day) VALUES (?, ?, ?) "
                  "ON CONFLICT DO NOTHING", [community_id, member_id, day])
    if day >= seen.get(key, day):
        seen[key] = day
    return True


async def visit_from_request(request: Any) -> dict[str, Any]:
    """``template_context``: a member rendering one of their community's pages is a reader."""
    view = getattr(request.state, "community", None)
    if view is None or view.viewer is None or not view.is_member or "insights" not in view.plugins:
        return {}
    try:
        await record_visit(view.community.id, view.viewer.id)
    except Exception:
        log.exception("could not record a visit")
    return {}


# --- Writing ------------------------------------------------------------------------------------


async def _root_of(parent_id: int) -> int:
    """The top-level item a reply belongs to."""
    row = await fetch_one("SELECT root_id FROM insights_event WHERE content_id = ? AND action IN ('new', 'reply') "
                          "AND root_id IS NOT NULL ORDER BY id LIMIT 1", [parent_id])
    if row is not None:
        return int(row["root_id"])
    current = parent_id
    for _ in range(20):  # content recorded before insights was switched on: climb the tree
        up = await fetch_one("SELECT parent_id FROM content WHERE id = ?", [current])
        if up is None or up["parent_id"] is None:
            return current
        current = int(up["parent_id"])
    return current


async def refresh_thread(root_id: int) -> None:
    """Recompute when a topic was first answered by someone else than its author."""
    thread = await fetch_one("SELECT id, community_id, author_id, day, first_reply_at FROM insights_thread "
                             "WHERE content_id = ?", [root_id])
    if thread is None:
        return
    query = ("SELECT MIN(happened_at) AS first FROM insights_event WHERE root_id = ? AND action = 'reply' "
             "AND counted = ? AND member_id IS NOT NULL")
    params: list[Any] = [root_id, True]
    if thread["author_id"] is not None:
        query += " AND member_id <> ?"
        params.append(thread["author_id"])
    first = await fetch_one(query, params)
    value = as_datetime(first["first"]) if first else None
    await execute("UPDATE insights_thread SET first_reply_at = ? WHERE id = ?", [value, thread["id"]])
    await mark_dirty(int(thread["community_id"]), as_date(thread["day"]))


async def record_content(content: Content, created: bool, at: datetime | None = None) -> None:
    """``content_saved``: a new item, a reply or an edit; a review when it is held."""
    at = at or utcnow()
    day = day_of(at)
    community_id = content.community_id
    author_id = content.author_id
    parent_id = content.parent_id
    published = str(content.status) == "published"
    root_id: int | None = content.id
    if not created:
        action = "edit"
        if parent_id is not None:
            root_id = await _root_of(parent_id)
    elif parent_id is None:
        action = "new"
        if content.kind in settings().answerable_kinds:
            await execute("INSERT INTO insights_thread (community_id, content_id, author_id, created_at, day, "
                          "counted) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                          [community_id, content.id, author_id, at, day, published])
    else:
        action = "reply"
        root_id = await _root_of(parent_id)
    await execute("INSERT INTO insights_event (community_id, member_id, kind, action, content_id, root_id, "
                  "counted, happened_at, day) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                  [community_id, author_id, content.kind[:40], action, content.id, root_id, published, at, day])
    if str(content.status) == "pending":
        await _hold(community_id, content.id, at)
    if action == "reply" and published and root_id is not None:
        await refresh_thread(root_id)


async def _hold(community_id: int, content_id: int, at: datetime) -> None:
    waiting = await fetch_one("SELECT id FROM insights_review WHERE content_id = ? AND resolved_at IS NULL",
                              [content_id])
    if waiting is None:
        await execute("INSERT INTO insights_review (community_id, content_id, held_at) VALUES (?, ?, ?)",
                      [community_id, content_id, at])


async def record_status(content: Content, old_status: str, new_status: str, at: datetime | None = None) -> None:
    """``content_status_changed``: count the item only while it is published; follow reviews."""
    at = at or utcnow()
    community_id = content.community_id
    counted = new_status == "published"
    from tisserand.db import fetch_all

    for row in await fetch_all("SELECT DISTINCT day FROM insights_event WHERE content_id = ? AND counted <> ?",
                               [content.id, counted]):
        await mark_dirty(community_id, as_date(row["day"]))
    await execute("UPDATE insights_event SET counted = ? WHERE content_id = ?", [counted, content.id])
    thread = await fetch_one("SELECT day FROM insights_thread WHERE content_id = ?", [content.id])
    if thread is not None:
        await execute("UPDATE insights_thread SET counted = ? WHERE content_id = ?", [counted, content.id])
        await mark_dirty(community_id, as_date(thread["day"]))
    parent_id = content.parent_id
    if parent_id is not None:
        await refresh_thread(await _root_of(parent_id))
    if old_status == "pending":
        await execute("UPDATE insights_review SET resolved_at = ? WHERE content_id = ? AND resolved_at IS NULL",
                      [at, content.id])
    if new_status == "pending":
        await _hold(community_id, content.id, at)


async def record_membership(membership: Membership, action: str, at: datetime | None = None) -> None:
    """``member_joined`` / ``member_left``."""
    at = at or utcnow()
    await execute("INSERT INTO insights_event (community_id, member_id, kind, action, counted, happened_at, day) "
                  "VALUES (?, ?, ?, ?, ?, ?, ?)",
                  [membership.community_id, membership.member_id, "membership", action, True, at,
                   day_of(at)])


async def safely(what: str, coroutine: Any) -> None:
    """Await a recording, logging instead of raising: counting must not break the action."""
    try:
        await coroutine
    except Exception:
        log.exception("insights could not record %s", what)
