"""Atom feeds of new topics: ``/c/{slug}/forum.atom`` and ``/c/{slug}/forum/{category}.atom``.

Feed readers come without a session, so a private community's feed answers 404 to them, like
every other page of its content.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from tisserand.db import fetch_all
from tisserand.errors import NotFound
from tisserand.i18n import _
from tisserand.plugins.forums.models import Category
from tisserand.plugins.forums.text import as_datetime
from tisserand.plugins.forums.urls import forum_path, topic_path
from tisserand.site import current_site
from tisserand.text import xml_text
from tisserand.web.community import CommunityView, load_community


async def _entries(view: CommunityView, category_id: int | None, limit: int) -> list[dict[str, Any]]:
    where = ["t.community_id = ?", "c.status = 'published'"]
    params: list[Any] = [view.community.id]
    if category_id is not None:
        where.append("t.category_id = ?")
        params.append(category_id)
    return await fetch_all(
        "SELECT c.id, c.title, c.html, c.created_at, c.edited_at, t.slug, a.username, a.display_name, "
        "cat.name AS category_name FROM forum_topic t JOIN content c ON c.id = t.content_id "
        "LEFT JOIN member a ON a.id = c.author_id LEFT JOIN forum_category cat ON cat.id = t.category_id "
        f"WHERE {' AND '.join(where)} ORDER BY c.id DESC LIMIT ?", [*params, limit])


async def build_feed(view: CommunityView, category: Category | None = None) -> bytes:
    """The Atom document of the latest topics (only published ones)."""
    site = current_site()
    slug = view.community.slug
    rows = await _entries(view, category.id if category else None, site.plugin_settings("forums").feed_entries)
    page = forum_path(slug) + (f"/{category.slug}" if category else "")
    from feedgen.feed import FeedGenerator  # with lxml ~8 MiB: loaded by the first feed asked

    feed = FeedGenerator()
    feed.id(site.url(page))
    name = f"{view.community.name} · {category.name}" if category else view.community.name
    feed.title(xml_text(_("{name}: forum", name=name)))
    feed.subtitle(xml_text(view.community.description or _("New topics of the forum")))
    feed.link(href=site.url(page), rel="alternate")
    feed.link(href=site.url(page + ".atom"), rel="self")
    feed.language(site.settings.site.default_locale)
    feed.generator("Tisserand")
    updated = [t for r in rows if (t := as_datetime(r["edited_at"] or r["created_at"])) is not None]
    feed.updated(max(updated) if updated else view.community.created_at)
    for row in reversed(rows):
        url = site.url(topic_path(slug, row["id"], row["slug"]))
        entry = feed.add_entry()
        entry.id(url)
        entry.title(xml_text(row["title"]))
        entry.link(href=url)
        entry.author(name=xml_text(row["display_name"] or row["username"] or "?"))
        entry.published(as_datetime(row["created_at"]))
        entry.updated(as_datetime(row["edited_at"] or row["created_at"]))
        entry.content(xml_text(row["html"]), type="html")
        if row["category_name"]:
            entry.category(term=xml_text(row["category_name"]))
    return bytes(feed.atom_str(pretty=False))


def _response(view: CommunityView, body: bytes) -> Response:
    cache = "public, max-age=300" if view.community.visibility == "public" else "private, no-store"
    return Response(body, media_type="application/atom+xml; charset=utf-8", headers={"Cache-Control": cache})


async def forum_feed(request: Request) -> Response:
    """The Atom feed of a forum's new topics."""
    view = await load_community(request, plugin="forums")
    return _response(view, await build_feed(view))


async def category_feed(request: Request) -> Response:
    """The Atom feed of one category's new topics."""
    view = await load_community(request, plugin="forums")
    category = await Category.get_or_none(community_id=view.community.id,
                                          slug=request.path_params["category"])
    if category is None:
        raise NotFound(_("There is no such category in this forum."))
    return _response(view, await build_feed(view, category))
