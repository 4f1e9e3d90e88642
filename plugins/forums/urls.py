"""Paths of forum pages (no database access: what ``content_url`` needs is kept in ``meta``)."""

from __future__ import annotations

from typing import Any

from tisserand.models import Community
from tisserand.plugins.forums.text import POST, TOPIC


def forum_path(community_slug: str) -> str:
    """The forum's front page."""
    return f"/c/{community_slug}/forum"


def topic_path(community_slug: str, topic_id: int, topic_slug: str, number: int | None = None,
               anchor: int | None = None) -> str:
    """A topic page, optionally from reply ``number`` and scrolled to post ``anchor``."""
    path = f"/c/{community_slug}/forum/t/{topic_id}-{topic_slug or 'topic'}"
    if number is not None and number > 1:
        path += f"?n={number}"
    if anchor is not None:
        path += f"#p{anchor}"
    return path


def _community_slug(content: Any) -> str:
    community = getattr(content, "community", None)
    if isinstance(community, Community):
        return community.slug
    return str((content.meta or {}).get("cslug", ""))


def content_path(content: Any) -> str | None:
    """The page showing a forum item, or None for other kinds."""
    meta = content.meta or {}
    if content.kind == TOPIC:
        return topic_path(_community_slug(content), content.id, meta.get("tslug", "topic"))
    if content.kind == POST and meta.get("topic"):
        return topic_path(_community_slug(content), int(meta["topic"]), meta.get("tslug", "topic"),
                          meta.get("n"), content.id)
    return None
