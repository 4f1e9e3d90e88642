"""The review queue of a community: held and flagged items with their flags, score and the
author's history, in a constant number of queries whatever the number of items."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tisserand.db import as_json, fetch_all, fetch_one
from tisserand.models import Content
from tisserand.plugins.moderation import clock
from tisserand.visibility import active_content_sql

if TYPE_CHECKING:
    from tisserand.models import Community
    from tisserand.site import Site

PAGE = 30
FILTERS = ("all", "held", "flagged")
_ITEMS_SQL = """
SELECT r.id AS review_id, r.cause, r.reason AS review_reason, r.score, r.score_reasons, r.flag_weight,
       r.flag_count, r.created_at AS queued_at,
       c.id, c.kind, c.title, c.body, c.html, c.status, c.status_reason, c.parent_id, c.created_at,
       c.updated_at, c.author_id, p.kind AS parent_kind, p.title AS parent_title, p.status AS parent_status,
       m.username, m.display_name, m.created_at AS joined_at,
       COALESCE(t.locked_level, t.level) AS level,
       (SELECT COUNT(*) FROM content x WHERE x.author_id = c.author_id AND x.community_id = c.community_id
          AND x.status = 'published') AS published,
       (SELECT COUNT(*) FROM content x WHERE x.author_id = c.author_id AND x.community_id = c.community_id
          AND x.status IN ('hidden', 'deleted')) AS removed,
       (SELECT COUNT(*) FROM moderation_flag f JOIN content x ON x.id = f.content_id
          WHERE x.author_id = c.author_id AND f.state = 'upheld') AS upheld,
       (SELECT COUNT(*) FROM moderation_sanction s WHERE s.member_id = c.author_id) AS sanctions,
       (SELECT COUNT(*) FROM moderation_sanction s WHERE s.member_id = c.author_id AND s.closed_at IS NULL
          AND s.kind <> 'warning') AS open_sanctions
FROM moderation_review r
JOIN content c ON c.id = r.content_id
LEFT JOIN content p ON p.id = c.parent_id
LEFT JOIN member m ON m.id = c.author_id
LEFT JOIN moderation_trust t ON t.member_id = c.author_id
WHERE r.community_id = ? AND r.state = 'open' {cause} {after} AND {active}
ORDER BY r.id
LIMIT ?
"""


async def _queue_orphans(site: Site, community: Community) -> None:
    # Items left pending while the plugin was off here (or imported) join the queue.
    rows = await fetch_all(
        "SELECT c.id FROM content c WHERE c.community_id = ? AND c.status = 'pending' AND NOT EXISTS "
        "(SELECT 1 FROM moderation_review r WHERE r.content_id = c.id AND r.state = 'open')", [community.id])
    if not rows:
        return
    from tisserand.plugins.moderation.reviews import open_review

    for content in await Content.filter(id__in=[r["id"] for r in rows]):
        content.community = community
        await open_review(site, content, cause="held", reason=content.status_reason)


async def items(site: Site, community: Community, *, show: str = "all", after: int | None = None,
                limit: int = PAGE) -> tuple[list[dict[str, Any]], int | None]:
    """A page of open review items (oldest first) and the cursor of the next page."""
    await _queue_orphans(site, community)
    params: list[Any] = [community.id]
    cause = ""
    if show in ("held", "flagged"):
        cause = "AND r.cause = ?"
        params.append(show)
    after_sql = ""
    if after:
        after_sql = "AND r.id > ?"
        params.append(after)
    active, active_params = await active_content_sql()  # content of plugins switched off stays out
    params += [*active_params, limit + 1]
    rows = await fetch_all(_ITEMS_SQL.format(cause=cause, after=after_sql, active=active), params)
    more = len(rows) > limit
    rows = rows[:limit]
    flags: dict[int, list[dict[str, Any]]] = {}
    if rows:
        ids = [row["id"] for row in rows]
        marks = ", ".join("?" for _ in ids)
        for flag in await fetch_all(
                "SELECT f.content_id, f.reason, f.note, f.weight, f.created_at, m.username, m.display_name "
                f"FROM moderation_flag f JOIN member m ON m.id = f.member_id WHERE f.content_id IN ({marks}) "
                "AND f.state = 'open' ORDER BY f.id", ids):
            flag["created_at"] = clock.as_datetime(flag["created_at"])
            flags.setdefault(flag["content_id"], []).append(flag)
    result = []
    for row in rows:
        for name in ("created_at", "updated_at", "queued_at", "joined_at"):
            row[name] = clock.as_datetime(row[name])
        row["score_reasons"] = as_json(row["score_reasons"]) or []
        row["flags"] = flags.get(row["id"], [])
        row["url"] = content_url(site, community, row)
        row["parent_url"] = None
        if row["parent_id"] is not None and row["parent_kind"] is not None:
            row["parent_url"] = content_url(site, community, {
                "id": row["parent_id"], "kind": row["parent_kind"], "title": row["parent_title"],
                "status": row["parent_status"]})
        row["level"] = int(row["level"] or 0)
        result.append(row)
    return result, (rows[-1]["review_id"] if more and rows else None)


def content_url(site: Site, community: Community, row: dict[str, Any]) -> str | None:
    """The page of an item, asked of the plugin that owns its kind (no query)."""
    stub = Content(id=row["id"], kind=row["kind"], title=row.get("title") or "", status=row.get("status") or "published",
                   parent_id=row.get("parent_id"), author_id=row.get("author_id"))
    stub.community = community
    return url_of(site, stub)


def url_of(site: Site, content: Content) -> str | None:
    """``content_url`` for an item whose ``community`` is loaded."""
    try:
        return site.hook.content_url(content=content)
    except Exception:  # a plugin that cannot answer without its own data must not break the queue
        return None


async def count_open(community: Community) -> int:
    """How many items wait in the queue (leaving out content of plugins switched off)."""
    active, params = await active_content_sql()
    row = await fetch_one(
        "SELECT COUNT(*) AS n FROM moderation_review r JOIN content c ON c.id = r.content_id "
        f"WHERE r.community_id = ? AND r.state = 'open' AND {active}", [community.id, *params])
    return int(row["n"]) if row else 0
