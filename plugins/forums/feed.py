"""Feeds of the forum, each in Atom (``.atom``) and RSS 2.0 (``.rss``): new topics
(``/c/{slug}/forum.atom``), new topics of a category (``/c/{slug}/forum/{category}.atom``) and the
replies of one topic (``/c/{slug}/forum/t/{id}.atom``). Entry ids are ``tag:`` URIs made from
the content id, so they stay the same when a topic is renamed.

Feed readers come without a session, so a private community's feed answers 404 to them, like
every other page of its content.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from tisserand.db import fetch_all
from tisserand.errors import NotFound
from tisserand.feeds import FeedEntry, atom_response, entry_id, rss_response
from tisserand.feeds import build_feed as build_document
from tisserand.i18n import _
from tisserand.plugins.forums.models import Category
from tisserand.plugins.forums.text import as_datetime
from tisserand.plugins.forums.urls import forum_path, topic_path
from tisserand.site import current_site
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


def _kind(request: Request) -> str:
    return "rss" if request.url.path.endswith(".rss") else "atom"


def _entry(site: Any, slug: str, row: dict[str, Any], url: str, title: str, suffix: str = "") -> FeedEntry:
    return FeedEntry(id=entry_id(site, row["id"], suffix), title=title, url=site.url(url),
                     updated=as_datetime(row["edited_at"] or row["created_at"]) or datetime.now(UTC),
                     published=as_datetime(row["created_at"]),
                     author=row["display_name"] or row["username"] or "?", html=row["html"] or "",
                     categories=[row["category_name"]] if row.get("category_name") else [])


async def build_feed(view: CommunityView, category: Category | None = None, kind: str = "atom") -> bytes:
    """The Atom (or RSS 2.0) document of the latest topics (only published ones). Entry ids
    are ``tag:`` URIs from the content id: renaming a topic does not make it new."""
    site = current_site()
    slug = view.community.slug
    rows = await _entries(view, category.id if category else None, site.plugin_settings("forums").feed_entries)
    page = forum_path(slug) + (f"/{category.slug}" if category else "")
    name = f"{view.community.name} · {category.name}" if category else view.community.name
    entries = [_entry(site, slug, row, topic_path(slug, row["id"], row["slug"]), row["title"]) for row in rows]
    return build_document(feed_id=site.url(page), title=_("{name}: forum", name=name),
                          subtitle=view.community.description or _("New topics of the forum"),
                          page_url=site.url(page), self_url=site.url(f"{page}.{kind}"), entries=entries,
                          kind=kind, language=site.settings.site.default_locale,
                          updated=None if entries else view.community.created_at)


def _response(view: CommunityView, body: bytes, kind: str) -> Response:
    public = view.community.visibility == "public"
    return rss_response(body, public=public) if kind == "rss" else atom_response(body, public=public)


async def forum_feed(request: Request) -> Response:
    """The Atom (``.atom``) or RSS 2.0 (``.rss``) feed of a forum's new topics."""
    view = await load_community(request, plugin="forums")
    kind = _kind(request)
    return _response(view, await build_feed(view, kind=kind), kind)


async def category_feed(request: Request) -> Response:
    """The Atom or RSS 2.0 feed of one category's new topics."""
    view = await load_community(request, plugin="forums")
    category = await Category.get_or_none(community_id=view.community.id,
                                          slug=request.path_params["category"])
    if category is None:
        raise NotFound(_("There is no such category in this forum."))
    kind = _kind(request)
    return _response(view, await build_feed(view, category, kind), kind)


async def topic_feed(request: Request) -> Response:
    """The Atom or RSS 2.0 feed of one topic: its latest replies (published ones)."""
    view = await load_community(request, plugin="forums")
    site = current_site()
    slug = view.community.slug
    topic_id = int(request.path_params["topic_id"])
    topic = await fetch_all(
        "SELECT c.id, c.title, c.html, c.created_at, c.edited_at, t.slug, a.username, a.display_name, "
        "cat.name AS category_name FROM forum_topic t JOIN content c ON c.id = t.content_id "
        "LEFT JOIN member a ON a.id = c.author_id LEFT JOIN forum_category cat ON cat.id = t.category_id "
        "WHERE t.content_id = ? AND t.community_id = ? AND c.status = 'published'", [topic_id, view.community.id])
    if not topic:
        raise NotFound(_("There is no such topic in this forum."))
    head = topic[0]
    posts = await fetch_all(
        "SELECT c.id, c.html, c.created_at, c.edited_at, a.username, a.display_name FROM content c "
        "LEFT JOIN member a ON a.id = c.author_id WHERE c.parent_id = ? AND c.kind = 'forum.post' "
        "AND c.status = 'published' ORDER BY c.id DESC LIMIT ?",
        [topic_id, site.plugin_settings("forums").feed_entries])
    page = topic_path(slug, topic_id, head["slug"])
    reply = _("Re: {title}", title=head["title"])
    entries = [_entry(site, slug, post, topic_path(slug, topic_id, head["slug"], anchor=post["id"]), reply)
               for post in posts]
    entries.append(_entry(site, slug, head, page, head["title"]))
    kind = _kind(request)
    body = build_document(feed_id=entry_id(site, topic_id, "feed"), title=head["title"],
                          subtitle=_("{name}: forum", name=view.community.name), page_url=site.url(page),
                          self_url=site.url(f"{forum_path(slug)}/t/{topic_id}.{kind}"), entries=entries,
                          kind=kind, language=site.settings.site.default_locale)
    return _response(view, body, kind)
