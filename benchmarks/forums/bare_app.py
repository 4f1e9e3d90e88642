"""The yardstick: the same topic page with bare Starlette + Jinja2 + one raw SQL query.

    BENCH_DB=/tmp/bench-forums/data/site.sqlite3 uvicorn benchmarks.forums.bare_app:app

No sessions, permissions, plugins, translations or layout hooks: what a hand-written page
would cost. The markup mirrors the forum's topic page (same posts, authors, dates, reactions).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import aiosqlite
from jinja2 import Environment, select_autoescape
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse
from starlette.routing import Route

TEMPLATE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{ title }} · Bench</title>
<link rel="stylesheet" href="/static/theme/style.css"><link rel="stylesheet" href="/static/plugins/forums/forums.css"></head>
<body><header class="site-header"><div class="wrap"><a class="brand" href="/">Bench</a>
<nav><ul><li><a href="/c/">Communities</a></li><li><a href="/login">Log in</a></li></ul></nav></div></header>
<main id="main" class="wrap"><header class="community-header"><h1><a href="/c/bench">Bench</a></h1>
<nav><ul class="tabs"><li><a href="/c/bench">Home</a></li><li><a href="/c/bench/forum" aria-current="page">Forum</a></li></ul></nav></header>
<article class="topic"><h2 id="topic-title">{{ title }}</h2><p class="muted">{{ posts|length - 1 }} replies</p>
<ol class="posts">
{% for p in posts %}
<li id="p{{ p.id }}" class="post"><article aria-labelledby="ph{{ p.id }}">
<header class="post-head"><span class="avatar" aria-hidden="true">{{ p.display_name[:1] }}</span>
<strong id="ph{{ p.id }}"><a href="/u/{{ p.username }}" class="author">{{ p.display_name or p.username }}</a></strong>
<a href="#p{{ p.id }}" class="muted permalink"><time datetime="{{ p.created_at }}">{{ p.when }}</time></a> <span class="muted">#{{ loop.index }}</span></header>
<div class="prose post-body">{{ p.html|safe }}</div>
<footer class="post-actions"><ul class="reactions">{% if p.likes %}<li><span class="reaction" title="Like">👍 {{ p.likes }}</span></li>{% endif %}</ul></footer>
</article></li>
{% endfor %}
</ol></article></main><footer class="site-footer"><p>Bench · Powered by Starlette</p></footer></body></html>"""

QUERY = """SELECT c.id, c.title, c.html, c.created_at, m.username, m.display_name,
  (SELECT count(*) FROM forum_reaction r WHERE r.content_id = c.id) AS likes
FROM content c LEFT JOIN member m ON m.id = c.author_id
WHERE (c.id = ? OR c.parent_id = ?) AND c.status = 'published' ORDER BY c.id LIMIT 51"""

env = Environment(autoescape=select_autoescape(default=True))
template = env.from_string(TEMPLATE)
state: dict[str, Any] = {}


async def topic(request: Request) -> HTMLResponse:
    """The topic page."""
    topic_id = request.path_params["topic_id"]
    cursor = await state["db"].execute(QUERY, (topic_id, topic_id))
    names = [d[0] for d in cursor.description]
    posts = [dict(zip(names, row, strict=True)) for row in await cursor.fetchall()]
    for post in posts:
        post["when"] = datetime.fromisoformat(post["created_at"]).strftime("%b %d, %Y, %I:%M %p")
    return HTMLResponse(template.render(title=posts[0]["title"], posts=posts))


_markdown: Any = None


async def reply(request: Request) -> RedirectResponse:
    """The yardstick of a write: a reply rendered (markdown-it + nh3) and saved in one
    transaction of three statements (number and count it in the topic, the content row, the
    forum row); no checks, hooks, notifications or counters beyond those."""
    global _markdown
    if _markdown is None:
        from markdown_it import MarkdownIt

        _markdown = MarkdownIt("commonmark", {"html": False})
    import nh3

    topic_id = request.path_params["topic_id"]
    body = (await request.form())["body"]
    html = nh3.clean(_markdown.render(str(body)))
    if "pg" in state:
        return await _reply_pg(request, topic_id, str(body), html)
    now = datetime.now(UTC).isoformat(" ")
    db = state["db"]
    await db.execute("BEGIN IMMEDIATE")
    try:
        cursor = await db.execute("UPDATE forum_topic SET post_seq = post_seq + 1, reply_count = reply_count + 1 "
                                  "WHERE content_id = ? RETURNING post_seq, community_id", (topic_id,))
        number, community_id = await cursor.fetchone()  # type: ignore[misc]
        cursor = await db.execute(
            "INSERT INTO content (kind, community_id, author_id, parent_id, title, body, html, status, status_reason, "
            "meta, created_at, updated_at, activity_at) VALUES ('forum.post', ?, 1, ?, '', ?, ?, 'published', '', "
            "'{}', ?, ?, ?) RETURNING id", (community_id, topic_id, body, html, now, now, now))
        (content_id,) = await cursor.fetchone()  # type: ignore[misc]
        await db.execute("INSERT INTO forum_post (content_id, topic_id, number, notified) VALUES (?, ?, ?, '[]')",
                         (content_id, topic_id, number))
        await db.commit()
    except BaseException:
        await db.rollback()
        raise
    return RedirectResponse(f"{request.url.path.rsplit('/', 1)[0]}?n={number}#p{content_id}", status_code=303)


async def _reply_pg(request: Request, topic_id: int, body: str, html: str) -> RedirectResponse:
    """The same three statements on PostgreSQL (asyncpg pool)."""
    now = datetime.now(UTC)
    async with state["pg"].acquire() as db, db.transaction():
        number, community_id = await db.fetchrow(
            "UPDATE forum_topic SET post_seq = post_seq + 1, reply_count = reply_count + 1 "
            "WHERE content_id = $1 RETURNING post_seq, community_id", topic_id)
        content_id = await db.fetchval(
            "INSERT INTO content (kind, community_id, author_id, parent_id, title, body, html, status, status_reason, "
            "meta, created_at, updated_at, activity_at) VALUES ('forum.post', $1, 1, $2, '', $3, $4, 'published', '', "
            "'{}', $5, $5, $5) RETURNING id", community_id, topic_id, body, html, now)
        await db.execute("INSERT INTO forum_post (content_id, topic_id, number, notified) VALUES ($1, $2, $3, '[]')",
                         content_id, topic_id, number)
    return RedirectResponse(f"{request.url.path.rsplit('/', 1)[0]}?n={number}#p{content_id}", status_code=303)


@contextlib.asynccontextmanager
async def lifespan(app: Starlette) -> AsyncIterator[None]:
    target = os.environ.get("BENCH_DB", "/tmp/bench-forums/data/site.sqlite3")
    if target.startswith(("postgres://", "postgresql://")):  # the write only (reply.py on PostgreSQL)
        import asyncpg

        async def no_server_reset(connection: Any) -> None:
            """As Tisserand's pool (``tisserand.db.release_to_pool``): no round trip on release."""

        state["pg"] = await asyncpg.create_pool(target, min_size=2, max_size=10, reset=no_server_reset)
        yield
        await state.pop("pg").close()
        return
    state["db"] = await aiosqlite.connect(target)
    yield
    await state["db"].close()


app = Starlette(routes=[Route("/c/{slug}/forum/t/{topic_id:int}-{topic_slug}", topic),
                        Route("/c/{slug}/forum/t/{topic_id:int}/reply", reply, methods=["POST"])], lifespan=lifespan)
