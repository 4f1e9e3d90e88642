"""Read queries of the wiki's pages, with the visibility rules in SQL.

Plain rows (``fetch_all``), a constant number of queries per page, and history lists that never
load revision texts. Every list only holds published pages, and pages marked ``members`` only
when the viewer is an active member (or a site admin).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tisserand.db import as_datetime, fetch_all
from tisserand.plugins.wiki.service import sees_members_pages

if TYPE_CHECKING:
    from tisserand.web.community import CommunityView

PAGE_COLUMNS = (
    "w.id, w.path, w.parent_id, w.licence, w.visibility, w.protected, w.current_revision, "
    "w.created_at, w.updated_at, c.id AS content_id, c.title, c.status, c.author_id, c.lang"
)


def _clean(rows: list[dict[str, Any]], *names: str) -> list[dict[str, Any]]:
    for row in rows:
        for name in names:
            if name in row:
                row[name] = as_datetime(row[name])
        if "protected" in row:
            row["protected"] = bool(row["protected"])
    return rows


def visible_sql(view: CommunityView) -> str:
    """The SQL condition (aliases ``w`` page, ``c`` content) of pages listed to this viewer."""
    condition = "c.status = 'published'"
    if not sees_members_pages(view):
        condition += " AND w.visibility = 'public'"
    return condition


async def tree(view: CommunityView) -> list[dict[str, Any]]:
    """Every visible page of the community (path, title, parent, last change), by path."""
    rows = await fetch_all(
        f"SELECT {PAGE_COLUMNS} FROM wiki_page w JOIN content c ON c.id = w.content_id "
        f"WHERE w.community_id = ? AND {visible_sql(view)} ORDER BY w.path",
        [view.community.id])
    return _clean(rows, "created_at", "updated_at")


def nest(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Turn a flat list of pages into a tree (``children`` lists), roots first by path.
    A page whose parent is hidden from the viewer appears at the top level."""
    by_id = {row["id"]: {**row, "children": []} for row in rows}
    roots: list[dict[str, Any]] = []
    for row in by_id.values():
        parent = by_id.get(row["parent_id"])
        (parent["children"] if parent else roots).append(row)
    return roots


async def titles(view: CommunityView, paths: list[str]) -> dict[str, str]:
    """Titles of the visible pages among ``paths`` (for breadcrumbs)."""
    if not paths:
        return {}
    marks = ",".join("?" * len(paths))
    rows = await fetch_all(
        "SELECT w.path, c.title FROM wiki_page w JOIN content c ON c.id = w.content_id "
        f"WHERE w.community_id = ? AND w.path IN ({marks}) AND {visible_sql(view)}",
        [view.community.id, *paths])
    return {row["path"]: row["title"] for row in rows}


async def children(view: CommunityView, page_id: int) -> list[dict[str, Any]]:
    """Visible pages right below a page, by title."""
    return await fetch_all(
        "SELECT w.path, c.title FROM wiki_page w JOIN content c ON c.id = w.content_id "
        f"WHERE w.parent_id = ? AND {visible_sql(view)} ORDER BY c.title, w.path",
        [page_id])


async def backlinks(view: CommunityView, path: str, limit: int = 200) -> list[dict[str, Any]]:
    """Visible pages whose ``[[links]]`` point at ``path`` ("what links here")."""
    return await fetch_all(
        "SELECT w.path, c.title FROM wiki_page w JOIN content c ON c.id = w.content_id "
        f"WHERE w.community_id = ? AND {visible_sql(view)} AND w.id IN (SELECT l.source_id "
        "FROM wiki_link l WHERE l.community_id = ? AND l.target_path = ?) ORDER BY c.title LIMIT ?",
        [view.community.id, view.community.id, path, limit])


async def history(page_id: int, *, before: int | None, limit: int) -> tuple[list[dict[str, Any]], int | None]:
    """Revisions of a page, newest first, without their texts: rows with ``delta`` (characters
    added or removed) and the number to continue from (None on the last page)."""
    rows = await fetch_all(
        "SELECT r.number, r.created_at, r.summary, r.size, r.title, r.author_name, r.restored_from, "
        "m.username AS author_username, m.avatar_upload AS author_avatar "
        "FROM wiki_revision r LEFT JOIN member m ON m.id = r.author_id "
        "WHERE r.page_id = ? AND r.number < ? ORDER BY r.number DESC LIMIT ?",
        [page_id, before if before is not None else 2**31 - 1, limit + 1])
    _clean(rows, "created_at")
    for index, row in enumerate(rows[:limit]):
        older = rows[index + 1] if index + 1 < len(rows) else None
        row["delta"] = row["size"] - older["size"] if older else row["size"]
    more = len(rows) > limit and rows[limit]["number"] > 0
    page_rows = rows[:limit]
    return page_rows, (page_rows[-1]["number"] if more and page_rows else None)


async def revisions(page_id: int, numbers: list[int]) -> dict[int, dict[str, Any]]:
    """Some revisions of a page with their texts, by number."""
    marks = ",".join("?" * len(numbers))
    rows = await fetch_all(
        "SELECT r.number, r.created_at, r.summary, r.size, r.title, r.body, r.author_name, "
        "r.restored_from, m.username AS author_username, m.avatar_upload AS author_avatar FROM wiki_revision r "
        f"LEFT JOIN member m ON m.id = r.author_id WHERE r.page_id = ? AND r.number IN ({marks})",
        [page_id, *numbers])
    return {row["number"]: row for row in _clean(rows, "created_at")}


async def recent_changes(view: CommunityView, *, before: int | None = None,
                         limit: int = 50) -> tuple[list[dict[str, Any]], int | None]:
    """The latest revisions of visible pages, newest first, and the cursor for older ones."""
    rows = await fetch_all(
        "SELECT r.id, r.number, r.created_at, r.summary, r.size, r.author_name, r.restored_from, "
        "m.username AS author_username, m.avatar_upload AS author_avatar, w.path, w.content_id, c.title "
        "FROM wiki_revision r "
        "JOIN wiki_page w ON w.id = r.page_id JOIN content c ON c.id = w.content_id "
        "LEFT JOIN member m ON m.id = r.author_id "
        f"WHERE r.community_id = ? AND r.id < ? AND {visible_sql(view)} ORDER BY r.id DESC LIMIT ?",
        [view.community.id, before if before is not None else 2**31 - 1, limit + 1])
    _clean(rows, "created_at")
    more = len(rows) > limit
    rows = rows[:limit]
    return rows, (rows[-1]["id"] if more and rows else None)


async def count_pages(view: CommunityView) -> int:
    """How many pages the viewer can see."""
    rows = await fetch_all(
        "SELECT COUNT(*) AS n FROM wiki_page w JOIN content c ON c.id = w.content_id "
        f"WHERE w.community_id = ? AND {visible_sql(view)}", [view.community.id])
    return int(rows[0]["n"]) if rows else 0
