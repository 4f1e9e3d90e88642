"""The yardstick: the same topic page with bare Starlette + Jinja2 + one raw SQL query.

    BENCH_DB=/tmp/bench-forums/data/site.sqlite3 uvicorn benchmarks.forums.bare_app:app

No sessions, permissions, plugins, translations or layout hooks: what a hand-written page
would cost. The markup mirrors the forum's topic page (same posts, authors, dates, reactions).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import AsyncIterator
from datetime import datetime

import aiosqlite
from jinja2 import Environment, select_autoescape
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse
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
state: dict[str, aiosqlite.Connection] = {}


async def topic(request: Request) -> HTMLResponse:
    """The topic page."""
    topic_id = request.path_params["topic_id"]
    cursor = await state["db"].execute(QUERY, (topic_id, topic_id))
    names = [d[0] for d in cursor.description]
    posts = [dict(zip(names, row, strict=True)) for row in await cursor.fetchall()]
    for post in posts:
        post["when"] = datetime.fromisoformat(post["created_at"]).strftime("%b %d, %Y, %I:%M %p")
    return HTMLResponse(template.render(title=posts[0]["title"], posts=posts))


@contextlib.asynccontextmanager
async def lifespan(app: Starlette) -> AsyncIterator[None]:
    state["db"] = await aiosqlite.connect(os.environ.get("BENCH_DB", "/tmp/bench-forums/data/site.sqlite3"))
    yield
    await state["db"].close()


app = Starlette(routes=[Route("/c/{slug}/forum/t/{topic_id:int}-{topic_slug}", topic)], lifespan=lifespan)
