"""The wiki's reading pages: index, page, history, diff, what links here, recent changes, search.

Writing pages (new, edit, rollback, settings) are in :mod:`tisserand.plugins.wiki.editing`.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

from starlette.routing import BaseRoute, Route

from tisserand.db import fetch_one
from tisserand.errors import NotFound
from tisserand.i18n import _
from tisserand.plugins.wiki import queries
from tisserand.plugins.wiki.diffing import compare
from tisserand.plugins.wiki.licences import LICENCES, get_licence
from tisserand.plugins.wiki.paths import ancestors, try_path
from tisserand.plugins.wiki.service import can_edit, sees_members_pages
from tisserand.search import search
from tisserand.visibility import can_see_content_status
from tisserand.web.actions import content_actions_for
from tisserand.web.api import int_param
from tisserand.web.community import CommunityView, load_community, render_community

if TYPE_CHECKING:
    from starlette.requests import Request
    from starlette.responses import Response

PAGE_QUERY = (
    "SELECT w.id, w.path, w.parent_id, w.licence, w.visibility, w.protected, w.current_revision, "
    "w.created_at, w.updated_at, c.id AS content_id, c.title, c.html, c.status, c.status_reason, "
    "c.author_id, m.username AS updated_by_username, m.display_name AS updated_by_name "
    "FROM wiki_page w JOIN content c ON c.id = w.content_id LEFT JOIN member m ON m.id = w.updated_by_id "
    "WHERE w.community_id = ? AND w.path = ?"
)


async def render(request: Request, view: CommunityView, template: str, context: dict[str, Any],
                 status_code: int = 200) -> Response:
    """A wiki page inside the community layout, with the Wiki tab marked."""
    base = {"wiki_url": f"/c/{view.community.slug}/wiki", "licences": LICENCES,
            "can_create": view.can("wiki.page.create")}
    return await render_community(request, view, template, {**base, **context}, tab="wiki",
                                  status_code=status_code)


def page_path(request: Request) -> str:
    """The page path of the URL, or 404 for one no page can have."""
    path = try_path(request.path_params.get("path", ""))
    if path is None:
        raise NotFound(_("There is no page at this address in this wiki."))
    return path


def visible(view: CommunityView, row: dict[str, Any]) -> bool:
    """May the viewer read this page row (status and page visibility)?"""
    content = SimpleNamespace(status=row["status"], author_id=row["author_id"])
    if not can_see_content_status(view.viewer, content, view.is_staff):  # type: ignore[arg-type]
        return False
    return row["visibility"] != "members" or sees_members_pages(view)


async def load_page(view: CommunityView, path: str) -> dict[str, Any] | None:
    """The page row at ``path`` if the viewer may read it."""
    row = await fetch_one(PAGE_QUERY, [view.community.id, path])
    if row is None or not visible(view, row):
        return None
    queries._clean([row], "created_at", "updated_at")
    row["licence_info"] = get_licence(row["licence"])
    return row


async def breadcrumbs(view: CommunityView, path: str) -> list[dict[str, Any]]:
    """The ancestors of ``path``: title (or the bare segment) and whether a page exists."""
    above = ancestors(path)
    found = await queries.titles(view, above)
    return [{"path": p, "title": found.get(p, p.rsplit("/", 1)[-1]), "exists": p in found} for p in above]


async def missing_page(request: Request, view: CommunityView, path: str) -> Response:
    """404 with an offer to create the page."""
    return await render(request, view, "wiki/missing.html", {
        "path": path, "crumbs": await breadcrumbs(view, path),
        "title_hint": request.query_params.get("title", ""),
    }, status_code=404)


async def index(request: Request) -> Response:
    """The wiki's home: the page tree, the latest changes and a search box."""
    view = await load_community(request, plugin="wiki")
    rows = await queries.tree(view)
    changes, _next = await queries.recent_changes(view, limit=10)
    return await render(request, view, "wiki/index.html", {
        "tree": queries.nest(rows), "page_count": len(rows), "changes": changes})


async def page(request: Request) -> Response:
    """A page (or, with ``?revision=n``, an older revision of it)."""
    view = await load_community(request, plugin="wiki")
    path = page_path(request)
    row = await load_page(view, path)
    if row is None:
        return await missing_page(request, view, path)
    old = None
    number = request.query_params.get("revision")
    if number:
        old = await _old_revision(view, row, int_param(request, "revision", 1, high=2**31 - 1))
    actions = await content_actions_for(request, view, [
        {"id": row["content_id"], "author_id": row["author_id"], "status": row["status"], "kind": "wiki.page",
         "title": row["title"]}])
    return await render(request, view, "wiki/page.html", {
        "page": row, "crumbs": await breadcrumbs(view, path), "old": old,
        "actions": actions.get(row["content_id"]),
        "children": await queries.children(view, row["id"]),
        "backlinks": await queries.backlinks(view, path, limit=11),
        "can_edit": can_edit(view, SimpleNamespace(protected=row["protected"])),  # type: ignore[arg-type]
    })


async def _old_revision(view: CommunityView, row: dict[str, Any], number: int) -> dict[str, Any]:
    from tisserand.plugins.wiki import links
    from tisserand.site import current_site

    found = (await queries.revisions(row["id"], [number])).get(number)
    if found is None:
        raise NotFound(_("This revision does not exist."))
    resolved = await links.resolve(view.community.id, links.link_targets(found["body"]))
    found["html"], _env = await current_site().markdown.render_async(found["body"], {
        "community": view.community, "wiki_links": resolved})
    return found


async def history(request: Request) -> Response:
    """Every revision of a page, newest first, without loading their texts."""
    from tisserand.site import current_site

    view = await load_community(request, plugin="wiki")
    path = page_path(request)
    row = await load_page(view, path)
    if row is None:
        return await missing_page(request, view, path)
    size = current_site().plugin_settings("wiki").history_page_size
    before = int_param(request, "before", 0, low=0, high=2**31 - 1) or None
    revisions, next_before = await queries.history(row["id"], before=before, limit=size)
    return await render(request, view, "wiki/history.html", {
        "page": row, "crumbs": await breadcrumbs(view, path), "revisions": revisions,
        "next_before": next_before, "before": before,
        "can_edit": can_edit(view, SimpleNamespace(protected=row["protected"])),  # type: ignore[arg-type]
    })


async def diff(request: Request) -> Response:
    """The difference between two revisions (``?from=&to=``), inline or side by side."""
    view = await load_community(request, plugin="wiki")
    path = page_path(request)
    row = await load_page(view, path)
    if row is None:
        return await missing_page(request, view, path)
    current = row["current_revision"]
    to = int_param(request, "to", current, high=2**31 - 1)
    start = int_param(request, "from", max(to - 1, 1), high=2**31 - 1)
    if start > to:
        start, to = to, start
    mode = "side" if request.query_params.get("mode") == "side" else "inline"
    full = request.query_params.get("context") == "all"
    found = await queries.revisions(row["id"], sorted({start, to}))
    if start not in found or to not in found:
        raise NotFound(_("This revision does not exist."))
    old, new = found[start], found[to]
    result = compare(old["body"], new["body"], context=None if full else 3)
    return await render(request, view, "wiki/diff.html", {
        "page": row, "crumbs": await breadcrumbs(view, path), "old": old, "new": new,
        "diff": result, "mode": mode, "full": full, "title_changed": old["title"] != new["title"],
        "can_edit": can_edit(view, SimpleNamespace(protected=row["protected"])),  # type: ignore[arg-type]
    })


async def what_links_here(request: Request) -> Response:
    """Pages that link to this one (also for a page that does not exist yet)."""
    view = await load_community(request, plugin="wiki")
    path = page_path(request)
    row = await load_page(view, path)
    return await render(request, view, "wiki/links.html", {
        "path": path, "page": row, "crumbs": await breadcrumbs(view, path),
        "backlinks": await queries.backlinks(view, path)})


async def changes(request: Request) -> Response:
    """Recent changes in this wiki, newest first."""
    view = await load_community(request, plugin="wiki")
    before = int_param(request, "before", 0, low=0, high=2**31 - 1) or None
    rows, next_before = await queries.recent_changes(view, before=before, limit=50)
    return await render(request, view, "wiki/changes.html", {
        "changes": rows, "next_before": next_before, "before": before})


async def search_pages(request: Request) -> Response:
    """Full-text search in this wiki, through the core's search service."""
    view = await load_community(request, plugin="wiki")
    text = request.query_params.get("q", "").strip()[:200]
    results: list[dict[str, Any]] = []
    if text:
        rows = await search(view.viewer, text, community_id=view.community.id, kinds=["wiki.page"], limit=50)
        results = await _visible_results(view, rows)
    return await render(request, view, "wiki/search.html", {"q": text, "results": results})


async def _visible_results(view: CommunityView, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    if not rows:
        return []
    from tisserand.db import fetch_all

    marks = ",".join("?" * len(rows))
    pages = await fetch_all(
        "SELECT w.content_id, w.path FROM wiki_page w JOIN content c ON c.id = w.content_id "
        f"WHERE w.content_id IN ({marks}) AND {queries.visible_sql(view)}", [r["id"] for r in rows])
    paths = {p["content_id"]: p["path"] for p in pages}
    return [{**r, "path": paths[r["id"]]} for r in rows if r["id"] in paths]


def routes() -> list[BaseRoute]:
    """Every wiki page route, the specific ones before the catch-all page path."""
    from tisserand.plugins.wiki import editing, feed

    base = "/c/{slug}/wiki"
    return [
        Route(base, index, name="wiki-index"),
        Route("/c/{slug}/wiki.atom", feed.atom, name="wiki-atom"),
        Route("/c/{slug}/wiki.rss", feed.atom, name="wiki-rss"),
        Route(base + "/-/new", editing.new_page, methods=["GET", "POST"], name="wiki-new"),
        Route(base + "/-/changes", changes, name="wiki-changes"),
        Route(base + "/-/search", search_pages, name="wiki-search"),
        Route(base + "/-/settings", editing.settings, methods=["GET", "POST"], name="wiki-settings"),
        Route(base + "/{path:path}/edit", editing.edit_page, methods=["GET", "POST"], name="wiki-edit"),
        Route(base + "/{path:path}/history", history, name="wiki-history"),
        Route(base + "/{path:path}/diff", diff, name="wiki-diff"),
        Route(base + "/{path:path}/rollback", editing.rollback_page, methods=["POST"], name="wiki-rollback"),
        Route(base + "/{path:path}/links", what_links_here, name="wiki-links"),
        Route(base + "/{path:path}", page, name="wiki-page"),
    ]

