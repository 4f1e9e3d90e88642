"""Full-text search over Content: SQLite FTS5 or PostgreSQL ``tsvector`` (French and English).

The index is kept by the database itself (triggers, created by the core migration
``0002_search``), so every content kind is searchable, including kinds a future plugin invents.
Results only include what the viewer may read.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from tisserand.db import dialect, fetch_all
from tisserand.visibility import active_content_sql, readable_community_ids_sql

if TYPE_CHECKING:
    from tisserand.models import Member

_WORD = re.compile(r"\w+", re.UNICODE)


def _fts5_query(text: str) -> str:
    # Quote every word: the user's text must never be parsed as FTS5 syntax.
    words = _WORD.findall(text)
    return " ".join(f'"{w}"*' if i == len(words) - 1 else f'"{w}"' for i, w in enumerate(words))


async def search(
    viewer: Member | None,
    text: str,
    *,
    community_id: int | None = None,
    kinds: list[str] | None = None,
    limit: int = 20,
) -> list[dict[str, Any]]:
    """Published content matching ``text`` that ``viewer`` may read, best first; content of
    plugins switched off site-wide is left out (callers check communities' switches on the rows
    with :func:`tisserand.visibility.plugins_allow`).

    Rows: ``id, kind, title, community_id, slug, snippet, created_at``.
    """
    if not _WORD.search(text or ""):
        return []
    visible, params = readable_community_ids_sql(viewer)
    switched_off, off_params = await active_content_sql()
    filters = ["c.status = 'published'", "cm.visibility IS NOT NULL", visible, switched_off]
    extra: list[Any] = [*params, *off_params]
    if community_id is not None:
        filters.append("c.community_id = ?")
        extra.append(community_id)
    if kinds:
        filters.append("c.kind IN (" + ",".join("?" * len(kinds)) + ")")
        extra.extend(kinds)
    where = " AND ".join(filters)
    if dialect() == "postgres":
        query = (
            "SELECT c.id, c.kind, c.title, c.community_id, cm.slug, c.created_at, "
            "ts_headline('french', c.body, q, 'MaxWords=20, MinWords=8') AS snippet "
            "FROM content c JOIN community cm ON cm.id = c.community_id, "
            "(SELECT websearch_to_tsquery('french', unaccent(?)) || "
            "websearch_to_tsquery('english', unaccent(?)) AS q) query "
            f"WHERE c.search_vector @@ q AND {where} "
            "ORDER BY ts_rank(c.search_vector, q) DESC, c.id DESC LIMIT ?"
        )
        return await fetch_all(query, [text, text, *extra, limit])
    query = (
        "SELECT c.id, c.kind, c.title, c.community_id, cm.slug, c.created_at, "
        "snippet(content_fts, 1, '', '', '…', 20) AS snippet "
        "FROM content_fts JOIN content c ON c.id = content_fts.rowid "
        "JOIN community cm ON cm.id = c.community_id "
        f"WHERE content_fts MATCH ? AND {where} ORDER BY bm25(content_fts, 10.0, 1.0), c.id DESC LIMIT ?"
    )
    return await fetch_all(query, [_fts5_query(text), *extra, limit])
