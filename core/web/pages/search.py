"""Site-wide and per-community search ``/search?q=…&c=slug`` over every kind of content, with
:func:`tisserand.search.search` (only what the viewer may read)."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from tisserand.db import fetch_all
from tisserand.search import search
from tisserand.visibility import plugins_allow
from tisserand.web.community import load_community
from tisserand.web.pages.common import render, site_of, viewer_of
from tisserand.web.pages.feed import loaded_community, loaded_content, parse_time

MAX_QUERY = 200


async def results_for(request: Request, text: str, community_id: int | None) -> list[dict[str, Any]]:
    """Search results with their links (from ``content_url``) and community names."""
    viewer = viewer_of(request)
    site = site_of(request)
    rows = await search(viewer, text, community_id=community_id, limit=30)
    if not rows:
        return []
    ids = [row["id"] for row in rows]
    marks = ",".join("?" * len(ids))
    details = {row["id"]: row for row in await fetch_all(
        "SELECT c.id, c.parent_id, c.author_id, c.meta, cm.name AS community_name, cm.plugins AS community_plugins, "
        "cm.visibility AS community_visibility, cm.status AS community_status, m.username, m.display_name "
        "FROM content c "
        "JOIN community cm ON cm.id = c.community_id LEFT JOIN member m ON m.id = c.author_id "
        f"WHERE c.id IN ({marks})", ids)}
    results = []
    for row in rows:
        extra = details.get(row["id"])
        if extra is None:
            continue
        merged = {**row, **extra, "community_slug": row["slug"]}
        community = loaded_community(merged)
        content = loaded_content(merged, community)
        if not await plugins_allow(content, viewer):
            continue
        url = site.plugins.for_community(community).content_url(content=content)
        results.append({
            "title": row["title"], "snippet": row["snippet"] or "", "url": url or f"/c/{row['slug']}",
            "community_slug": row["slug"], "community_name": extra["community_name"],
            "author": extra["display_name"] or extra["username"] or "", "created_at": parse_time(row["created_at"]),
            "kind": row["kind"],
        })
    return results


async def search_page(request: Request) -> Response:
    """The search form and its results."""
    text = request.query_params.get("q", "").strip()[:MAX_QUERY]
    slug = request.query_params.get("c", "").strip()
    community = None
    if slug:
        community = (await load_community(request, slug=slug)).community
    results = await results_for(request, text, community.id if community else None) if text else []
    return await render(request, "search.html", {"q": text, "results": results, "scope_community": community})


def routes() -> list[BaseRoute]:
    """HTML routes."""
    return [Route("/search", search_page, methods=["GET"], name="search")]
