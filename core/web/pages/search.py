"""Search everywhere: the page ``/search?q=…&c=slug&kind=…&author=…&since=…`` and its API twin
``GET /api/v1/search``, both over :func:`tisserand.search.search` (only what the viewer may read,
only kinds whose plugin is on in their community)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from markupsafe import Markup
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from tisserand.auth import member_by_username
from tisserand.db import fetch_all
from tisserand.errors import NotFound, TisserandError, ValidationFailed
from tisserand.i18n import _
from tisserand.models import Community, Member
from tisserand.search import CANDIDATES, SearchFilters, highlight, search
from tisserand.visibility import plugins_allow
from tisserand.web.api import decode_cursor, documented, encode_cursor, int_param, listing
from tisserand.web.community import load_community
from tisserand.web.labels import plugin_label
from tisserand.web.pages.common import render, site_of, viewer_of
from tisserand.web.pages.feed import loaded_community, loaded_content, parse_time

MAX_QUERY = 200
PAGE = 20


@dataclass
class SearchRequest:
    """A search as asked in the query string, checked."""

    text: str
    community: Community | None
    plugin: str
    author: Member | None
    since: datetime | None
    offset: int


def _since(raw: str) -> datetime | None:
    if not raw:
        return None
    try:
        if len(raw) == 10:
            day = date.fromisoformat(raw)
            moment = datetime(day.year, day.month, day.day, tzinfo=UTC)
        else:
            moment = datetime.fromisoformat(raw)
    except ValueError:
        raise ValidationFailed(_("“since” must be a date such as 2026-09-01."), fields={"since": raw}) from None
    if not 1900 <= moment.year <= 9998:
        raise ValidationFailed(_("“since” must be a date such as 2026-09-01."), fields={"since": raw})
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


async def read_search(request: Request, *, community_param: str) -> SearchRequest:
    """The search asked for by ``request``; an unknown community or author is a 404 (the same as
    one the viewer may not see)."""
    params = request.query_params
    text = params.get("q", "").strip()[:MAX_QUERY]
    community = None
    slug = params.get(community_param, "").strip()
    if slug:
        community = (await load_community(request, slug=slug)).community
    author = None
    username = params.get("author", "").strip().lower()
    if username:
        author = await member_by_username(username, is_active=True)
        if author is None:
            raise NotFound(_("No member has this name."))
    offset = 0
    cursor = decode_cursor(params.get("cursor"), int)
    if cursor:
        if not 0 <= cursor[0] < CANDIDATES:
            raise TisserandError(_("This page link is broken: start again from the first page."),
                                 code="bad_cursor")
        offset = cursor[0]
    plugin = params.get("kind", "").strip()[:40]
    return SearchRequest(text=text, community=community, plugin=plugin, author=author,
                         since=_since(params.get("since", "").strip()), offset=offset)


async def results_for(request: Request, asked: SearchRequest, limit: int) -> tuple[list[dict[str, Any]], bool]:
    """One page of results with their links, community names and excerpts, and whether more
    follow."""
    viewer = viewer_of(request)
    site = site_of(request)
    filters = SearchFilters(
        community_id=asked.community.id if asked.community else None,
        kinds=[asked.plugin] if asked.plugin else [],
        author_id=asked.author.id if asked.author else None, since=asked.since)
    rows = await search(viewer, asked.text, filters=filters, offset=asked.offset, limit=limit + 1)
    more = len(rows) > limit
    rows = rows[:limit]
    if not rows:
        return [], False
    ids = [row["id"] for row in rows]
    marks = ",".join("?" * len(ids))
    details = {row["id"]: row for row in await fetch_all(
        "SELECT c.id, c.author_id, c.meta, cm.name AS community_name, cm.plugins AS community_plugins, "
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
        plain, marked = highlight(row["snippet"])
        results.append({
            "id": row["id"], "kind": row["kind"], "title": row["title"], "excerpt": plain,
            "excerpt_html": Markup(marked), "url": url or f"/c/{row['slug']}",
            "community_slug": row["slug"], "community_name": extra["community_name"],
            "author": extra["username"], "author_name": extra["display_name"] or extra["username"] or "",
            "created_at": parse_time(row["created_at"]),
        })
    return results, more


def kind_choices(request: Request) -> list[tuple[str, str]]:
    """The kind filter's choices: ``(kind, label)`` for every kind or namespace (``forum`` for
    ``forum.*``) that the plugins enabled on the site declare, labelled with the plugin's name."""
    site = site_of(request)
    choices: list[tuple[str, str]] = []
    for name, kinds in site.plugins.per_plugin("content_kinds"):
        label = plugin_label(name)
        for kind in kinds or []:
            value = str(kind).removesuffix(".*")
            if value and value not in dict(choices):
                choices.append((value, label if str(kind).endswith(".*") else f"{label} ({value})"))
    return sorted(choices, key=lambda choice: choice[1].casefold())


async def search_page(request: Request) -> Response:
    """The search form with its filters, and the results."""
    asked = await read_search(request, community_param="c")
    results, more = (await results_for(request, asked, PAGE)) if asked.text else ([], False)
    return await render(request, "search.html", {
        "q": asked.text, "results": results, "scope_community": asked.community, "asked": asked,
        "kinds": kind_choices(request),
        "next_cursor": encode_cursor(asked.offset + PAGE) if more else None})


@documented(tags=["search"], listing=True, query={
    "q": "Words to find (accents and word endings are folded; the last word may be a prefix)",
    "community": "A community's slug", "kind": "A kind (forum.post) or a plugin (forum)",
    "author": "A username", "since": "A date or time (ISO 8601): content created since then",
    "cursor": "From the previous page's next", "limit": "Items per page (1–50, default 20)"})
async def search_api(request: Request) -> Response:
    """Search what the viewer may read: items ``{id, kind, community, title, excerpt,
    excerpt_html, url, author, created_at}``, best first; excerpts mark the matched words."""
    asked = await read_search(request, community_param="community")
    limit = int_param(request, "limit", PAGE, low=1, high=50)
    if not asked.text:
        raise ValidationFailed(_("Give some words to search for in “q”."), fields={"q": "required"})
    results, more = await results_for(request, asked, limit)
    items = [{
        "id": r["id"], "kind": r["kind"], "community": r["community_slug"], "title": r["title"],
        "excerpt": r["excerpt"], "excerpt_html": str(r["excerpt_html"]), "url": r["url"],
        "author": r["author"], "created_at": r["created_at"],
    } for r in results]
    return listing(items, encode_cursor(asked.offset + limit) if more else None)


def routes() -> list[BaseRoute]:
    """HTML routes."""
    return [Route("/search", search_page, methods=["GET"], name="search")]


def api_routes() -> list[BaseRoute]:
    """API routes, relative to ``/api/v1``."""
    return [Route("/search", search_api, methods=["GET"], name="api_search")]
