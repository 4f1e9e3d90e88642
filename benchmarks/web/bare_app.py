"""The yardstick: the home feed and a community page with bare Starlette + Jinja2 + raw SQL.

    BENCH_DB=/tmp/bench-web/data/site.sqlite3 uvicorn benchmarks.web.bare_app:app
    BENCH_DB=postgres://postgres@127.0.0.1:5432/bench_web_core uvicorn benchmarks.web.bare_app:app

Serves ``/`` and ``/c/{slug}`` for the benchmark's ``reader`` (read once at start: no sessions),
with the queries a hand-written app would make — the home feed: one page of 20 items (ids from
the feed index, then author, community, reply count and stored HTML of those rows) and the
reader's communities; a community page: the community with the reader's membership, its 15
latest items, the people who run it and its sub-communities. No permissions, plugins,
translations or layout hooks; the templates have the structure of the default theme's
(header, feed items with avatar, author, community, time, reply count and excerpt, aside).
"""

from __future__ import annotations

import contextlib
import hashlib
import html as htmllib
import os
import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from jinja2 import DictLoader, Environment, select_autoescape
from markdown_it import MarkdownIt
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.routing import Route

BASE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{% block title %}Bench{% endblock %}</title><link rel="stylesheet" href="/static/theme/style.css"></head>
<body><a class="skip-link" href="#main">Skip to content</a>
<header class="site-header"><div class="wrap header-row"><a class="brand" href="/">Bench</a>
<form class="site-search" role="search" method="get" action="/search"><label for="site-search" class="sr-only">Search</label>
<input type="search" id="site-search" name="q" placeholder="Search…"><button type="submit" class="secondary">Search</button></form>
<nav class="site-nav" aria-label="Site"><ul><li><a href="/c/">Communities</a></li>
<li><a href="/me" class="avatar-link"><span class="avatar avatar-small" style="background: {{ reader.colour }}" aria-hidden="true">{{ reader.initials }}</span> {{ reader.name }}</a></li>
<li><form method="post" action="/logout" class="inline"><input type="hidden" name="csrf_token" value="x"><button type="submit" class="link-button">Log out</button></form></li>
</ul></nav></div></header>
<main id="main" class="wrap" tabindex="-1">{% block content %}{% endblock %}</main>
<footer class="site-footer"><div class="wrap footer-row"><p>Bench · Powered by Starlette · <a href="/accessibility">Accessibility</a></p></div></footer>
<script src="/static/theme/tisserand.js" defer></script></body></html>"""

MACROS = """{% macro feed_item(item, show_community=True) %}
<article class="feed-item" aria-labelledby="item-{{ item.id }}">
  <h3 id="item-{{ item.id }}"><a href="/c/{{ item.community_slug }}/item/{{ item.id }}">{{ item.title or "(untitled)" }}</a></h3>
  <p class="meta"><span class="kind">Note</span> <span aria-hidden="true">·</span>
    {% if item.username %}<a class="person" href="/u/{{ item.username }}"><span class="avatar avatar-small" style="background: {{ item.colour }}" aria-hidden="true">{{ item.initials }}</span> {{ item.name }}</a>{% else %}<span class="person muted">Former member</span>{% endif %}
    {% if show_community %}<span aria-hidden="true">·</span> <span class="sr-only">in</span> <a href="/c/{{ item.community_slug }}" class="community-link">{{ item.community_name }}</a>{% endif %}
    <span aria-hidden="true">·</span> <time datetime="{{ item.iso }}" title="{{ item.when }}">{{ item.ago }}</time>
    {% if item.reply_count %}<span aria-hidden="true">·</span> {{ item.reply_count }} repl{{ "y" if item.reply_count == 1 else "ies" }}{% endif %}
  </p>
  {% if item.excerpt %}<p class="excerpt">{{ item.excerpt }}</p>{% endif %}
</article>
{% endmacro %}
{% macro pager(next_cursor) %}{% if next_cursor %}<nav class="pager" aria-label="Pages"><a class="button secondary" rel="next" href="?cursor={{ next_cursor|urlencode }}">Older →</a></nav>{% endif %}{% endmacro %}"""

HOME = """{% extends "base.html" %}{% import "macros.html" as ui %}
{% block content %}<div class="with-aside"><section class="feed" aria-labelledby="feed-title"><h1 id="feed-title">What’s new</h1>
<nav class="filters" aria-label="Feed filters"><ul class="segmented"><li><a href="/?scope=all&amp;order=activity" aria-current="true">My communities and public content</a></li>
<li><a href="/?scope=mine&amp;order=activity">Only my communities</a></li></ul></nav>
{% for item in items %}{{ ui.feed_item(item) }}{% else %}<div class="empty card"><p>Nothing new.</p></div>{% endfor %}
{{ ui.pager(next_cursor) }}</section>
<aside class="aside" aria-labelledby="aside-title"><h2 id="aside-title">My communities</h2><ul class="plain-list">
{% for c in communities %}<li><a href="/c/{{ c.slug }}">{{ c.name }}</a>{% if c.role in ('coordinator', 'animator') %} <span class="badge">{{ c.role }}</span>{% endif %}</li>{% endfor %}
</ul><p><a href="/c/">All communities</a></p></aside></div>{% endblock %}"""

COMMUNITY = """{% extends "base.html" %}{% import "macros.html" as ui %}
{% block title %}{{ community.name }} · Bench{% endblock %}
{% block content %}<header class="community-header"><nav aria-label="Breadcrumb" class="breadcrumb"><ol><li><a href="/c/">Communities</a></li>
<li><a href="/c/{{ community.slug }}" aria-current="page">{{ community.name }}</a></li></ol></nav>
<h1 class="community-title"><a href="/c/{{ community.slug }}">{{ community.name }}</a>{% if community.visibility != "public" %} <span class="badge">{{ community.visibility }}</span>{% endif %}</h1>
<nav aria-label="Community sections" class="tabs-nav"><ul class="tabs"><li><a href="/c/{{ community.slug }}" aria-current="page">Home</a></li>
<li><a href="/c/{{ community.slug }}/members">Members</a></li></ul></nav></header>
<div class="with-aside"><div>{% if description %}<div class="prose description">{{ description|safe }}</div>{% endif %}
<section aria-labelledby="recent-title"><h2 id="recent-title">Recent activity</h2>
{% for item in items %}{{ ui.feed_item(item, show_community=False) }}{% else %}<p class="empty card">Nothing yet.</p>{% endfor %}
{{ ui.pager(next_cursor) }}</section></div>
<aside class="aside"><section class="card membership-box" aria-labelledby="membership-title"><h2 id="membership-title" class="sr-only">Membership</h2>
<p class="big-number">{{ community.member_count }} members</p><p class="muted">{{ community.join_policy }}</p>
{% if community.my_state == 'active' %}<p>You are a member, with the role “{{ community.my_role }}”.</p>
<form method="post" action="/c/{{ community.slug }}/leave"><input type="hidden" name="csrf_token" value="x"><button type="submit" class="secondary">Leave the community</button></form>
{% else %}<form method="post" action="/c/{{ community.slug }}/join"><input type="hidden" name="csrf_token" value="x"><button type="submit">Join</button></form>{% endif %}</section>
{% if people %}<section aria-labelledby="people-title"><h2 id="people-title">Who runs it</h2><ul class="plain-list people">
{% for p in people %}<li><a class="person" href="/u/{{ p.username }}"><span class="avatar avatar-small" style="background: {{ p.colour }}" aria-hidden="true">{{ p.initials }}</span> {{ p.name }}</a> <span class="muted">{{ p.role }}</span></li>{% endfor %}
</ul></section>{% endif %}
{% if children %}<section aria-labelledby="children-title"><h2 id="children-title">Sub-communities</h2><ul class="plain-list">
{% for child in children %}<li><a href="/c/{{ child.slug }}">{{ child.name }}</a> <span class="muted">{{ child.member_count }} members</span></li>{% endfor %}
</ul></section>{% endif %}</aside></div>{% endblock %}"""

MEMBER_OF = "cm.id IN (SELECT community_id FROM membership WHERE member_id = ? AND state = 'active')"
SORT = "COALESCE(c.activity_at, c.created_at)"
FEED = (
    "SELECT c.id, c.title, SUBSTR(c.html, 1, 3000) AS html, page.sort_at, m.username, m.display_name, "
    "cm.slug AS community_slug, cm.name AS community_name, "
    "(SELECT COUNT(*) FROM content r WHERE r.parent_id = c.id AND r.status = 'published') AS reply_count "
    f"FROM (SELECT c.id, {SORT} AS sort_at FROM content c JOIN community cm ON cm.id = c.community_id "
    "WHERE c.parent_id IS NULL AND c.status = 'published' AND {where} "
    f"ORDER BY {SORT} DESC, c.id DESC LIMIT ?) page "
    "JOIN content c ON c.id = page.id JOIN community cm ON cm.id = c.community_id "
    "LEFT JOIN member m ON m.id = c.author_id ORDER BY page.sort_at DESC, page.id DESC")
HOME_FEED = FEED.replace("{where}", f"(cm.visibility = 'public' OR {MEMBER_OF}) AND cm.status <> 'archived'")
COMMUNITY_FEED = FEED.replace("{where}", "c.community_id = ?")
MY_COMMUNITIES = ("SELECT cm.slug, cm.name, ms.role FROM membership ms JOIN community cm ON cm.id = ms.community_id "
                  "WHERE ms.member_id = ? AND ms.state IN ('active', 'invited') ORDER BY ms.state, cm.name LIMIT 100")
COMMUNITY_ROW = ("SELECT cm.id, cm.slug, cm.name, cm.description, cm.visibility, cm.join_policy, cm.member_count, "
                 "ms.state AS my_state, ms.role AS my_role FROM community cm "
                 "LEFT JOIN membership ms ON ms.community_id = cm.id AND ms.member_id = ? WHERE cm.slug = ?")
PEOPLE = ("SELECT m.username, m.display_name, ms.role FROM membership ms JOIN member m ON m.id = ms.member_id "
          "WHERE ms.community_id = ? AND ms.state = 'active' AND ms.role IN ('coordinator', 'animator', 'sponsor') "
          "ORDER BY ms.role, m.username LIMIT 30")
CHILDREN = ("SELECT cm.slug, cm.name, cm.member_count FROM community cm LEFT JOIN membership ms "
            "ON ms.community_id = cm.id AND ms.member_id = ? WHERE cm.parent_id = ? "
            "AND (cm.visibility <> 'secret' OR ms.state IN ('active', 'invited')) ORDER BY cm.name")

env = Environment(loader=DictLoader({"base.html": BASE, "macros.html": MACROS, "home.html": HOME,
                                     "community.html": COMMUNITY}), autoescape=select_autoescape(default=True))
state: dict[str, Any] = {}
_BLOCK_END = re.compile(r"</(p|li|h[1-6]|blockquote|pre|div)>|<br\s*/?>", re.IGNORECASE)
_TAG = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"\s+")
COLOURS = ("#1d5e9b", "#8a3ffc", "#a2191f", "#005d5d", "#6f4e00", "#9f1853", "#0e6027", "#4d5358")


def excerpt(html: str, limit: int = 280) -> str:
    """Plain text from stored HTML, cut at a word."""
    text = _SPACE.sub(" ", htmllib.unescape(_TAG.sub("", _BLOCK_END.sub(" ", html or "")))).strip()
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + "…"


def person(username: str | None, display_name: str | None) -> dict[str, str]:
    """Name, initials and avatar colour."""
    name = display_name or username or ""
    words = name.split()
    return {"username": username or "", "name": name, "initials": "".join(w[0] for w in words[:2]).upper() or "?",
            "colour": COLOURS[int(hashlib.sha1((username or "").encode()).hexdigest()[:4], 16) % len(COLOURS)]}


def ago(moment: datetime, now: datetime) -> str:
    """"3 days ago", by hand."""
    seconds = (now - moment).total_seconds()
    for size, unit in ((86400 * 365, "year"), (86400 * 30, "month"), (86400, "day"), (3600, "hour"), (60, "minute")):
        if seconds >= size:
            n = int(seconds // size)
            return f"{n} {unit}{'s' if n > 1 else ''} ago"
    return "just now"


async def fetch(sql: str, *params: Any) -> list[dict[str, Any]]:
    """Rows as dicts, on SQLite (aiosqlite) or PostgreSQL (asyncpg)."""
    if "pg" in state:
        numbered = sql
        for n in range(1, sql.count("?") + 1):
            numbered = numbered.replace("?", f"${n}", 1)
        return [dict(row) for row in await state["pg"].fetch(numbered, *params)]
    cursor = await state["db"].execute(sql, params)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in await cursor.fetchall()]


def items_of(rows: list[dict[str, Any]], limit: int) -> tuple[list[dict[str, Any]], str | None]:
    """Feed rows → template items and the next cursor."""
    now = datetime.now(UTC)
    items = []
    for row in rows[:limit]:
        moment = row["sort_at"] if isinstance(row["sort_at"], datetime) else datetime.fromisoformat(row["sort_at"])
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        items.append({**row, **person(row["username"], row["display_name"]), "excerpt": excerpt(row["html"]),
                      "iso": moment.isoformat(), "when": moment.strftime("%d/%m/%Y %H:%M"), "ago": ago(moment, now)})
    more = f"{items[-1]['iso']}|{items[-1]['id']}" if len(rows) > limit else None
    return items, more


@lru_cache(maxsize=256)
def description_html(text: str) -> str:
    """Markdown, rendered once per text."""
    return str(MarkdownIt("commonmark", {"html": False}).render(text))


async def home(request: Request) -> HTMLResponse:
    """The reader's home feed."""
    reader = state["reader"]
    items, more = items_of(await fetch(HOME_FEED, reader["id"], 21), 20)
    communities = await fetch(MY_COMMUNITIES, reader["id"])
    return HTMLResponse(env.get_template("home.html").render(reader=reader, items=items, next_cursor=more,
                                                             communities=communities))


async def community(request: Request) -> HTMLResponse:
    """A community's home for the reader."""
    reader = state["reader"]
    rows = await fetch(COMMUNITY_ROW, reader["id"], request.path_params["slug"])
    if not rows or (rows[0]["visibility"] != "public" and rows[0]["my_state"] != "active"):
        raise HTTPException(404)  # a hand-written app still keeps private content private
    row = rows[0]
    items, more = items_of(await fetch(COMMUNITY_FEED, row["id"], 16), 15)
    people = [{**p, **person(p["username"], p["display_name"])} for p in await fetch(PEOPLE, row["id"])]
    children = await fetch(CHILDREN, reader["id"], row["id"])
    return HTMLResponse(env.get_template("community.html").render(
        reader=reader, community=row, description=description_html(row["description"] or ""), items=items,
        next_cursor=more, people=people, children=children))


@contextlib.asynccontextmanager
async def lifespan(app: Starlette) -> AsyncIterator[None]:
    target = os.environ.get("BENCH_DB", "/tmp/bench-web/data/site.sqlite3")
    if target.startswith(("postgres://", "postgresql://")):
        import asyncpg

        async def no_server_reset(connection: Any) -> None:
            """As Tisserand's pool (``tisserand.db.release_to_pool``): no round trip on release."""

        state["pg"] = await asyncpg.create_pool(target, min_size=1, max_size=10, reset=no_server_reset)
    else:
        import aiosqlite

        state["db"] = await aiosqlite.connect(target)
    row = (await fetch("SELECT id, username, display_name FROM member WHERE username = 'reader'"))[0]
    state["reader"] = {"id": row["id"], **person(row["username"], row["display_name"])}
    try:
        yield
    finally:
        if "pg" in state:
            await state.pop("pg").close()
        else:
            await state.pop("db").close()


app = Starlette(routes=[Route("/", home), Route("/c/{slug}", community)], lifespan=lifespan)
