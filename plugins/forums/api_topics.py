"""Topics in the forum's JSON API: list, start, read with a page of replies, pin, lock, move
and mark solved."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import Field
from starlette.requests import Request
from starlette.responses import Response

from tisserand.errors import nothing_here
from tisserand.i18n import _
from tisserand.models import Content
from tisserand.plugins.forums import queries, service
from tisserand.plugins.forums.api import Body, ForumItemOut, _item_json, _view_for, content_json
from tisserand.plugins.forums.models import Topic
from tisserand.plugins.forums.text import POST, TOPIC, as_datetime
from tisserand.plugins.forums.urls import topic_path
from tisserand.plugins.forums.views import Formatter, can_see_row
from tisserand.web.answers import Out
from tisserand.web.api import (
    answer,
    decode_cursor,
    documented,
    encode_cursor,
    int_param,
    listing,
    read_json,
    require_viewer,
)
from tisserand.web.community import CommunityView, load_community
from tisserand.web.params import Id


class TopicIn(Body):
    title: str = Field(max_length=300)
    body: str
    category: str | None = None
    announcement: bool = False


class TopicPatch(Body):
    pinned: bool | None = None
    locked: bool | None = None
    announcement: bool | None = None
    category: str | None = Field(None, description="category slug, or '' for none")


class SolutionIn(Body):
    post: Id | None


class TopicSummaryOut(Out):
    """A topic in a forum's list."""

    id: int
    kind: str
    community: str
    title: str
    author: str | None
    status: str
    created_at: datetime
    last_activity_at: datetime | None
    category: str | None
    pinned: bool
    locked: bool
    announcement: bool
    solved_post: int | None
    reply_count: int
    participant_count: int
    unread: int
    new: bool
    url: str


class PostOut(Out):
    """A reply on a topic's page."""

    id: int
    kind: str
    number: int
    author: str | None
    status: str
    html: str
    reply_to: int | None
    created_at: datetime
    edited_at: datetime | None
    reactions: dict[str, int]
    url: str


class TopicOut(ForumItemOut):
    """A topic with a page of its replies; ``posts_next`` is the ``?after=`` of the next page."""

    posts: list[PostOut]
    posts_next: int | None
    reactions: dict[str, int]


class TopicFlagsOut(Out):
    """A topic's pins and locks."""

    id: int
    pinned: bool
    locked: bool
    announcement: bool
    category_id: int | None


class SolutionOut(Out):
    """The reply that solved a topic (or none)."""

    id: int
    solved_post: int | None


def _topic_json(view: CommunityView, row: dict[str, Any], fmt: Formatter) -> dict[str, Any]:
    shown = fmt.topic(row)
    return {
        "id": row["id"], "kind": TOPIC, "community": view.community.slug, "title": row["title"],
        "author": row["author_username"], "status": row["status"], "created_at": as_datetime(row["created_at"]),
        "last_activity_at": as_datetime(row["bumped_at"]), "category": row["category_slug"],
        "pinned": bool(row["pinned"]), "locked": bool(row["locked"]), "announcement": bool(row["announcement"]),
        "solved_post": row["solved_post_id"], "reply_count": row["reply_count"],
        "participant_count": row["participant_count"], "unread": shown["unread"], "new": shown["new"],
        "url": shown["url"],
    }


@documented(tags=["forums"], listing=True, answer=TopicSummaryOut,
            query={"category": "a category slug", "cursor": "the previous page's next", "limit": "1 to 100"})
async def list_topics(request: Request) -> Response:
    """Topics of a community's forum, latest activity first (``?category=``, ``?cursor=``, ``?limit=``)."""
    view = await load_community(request, plugin="forums")
    category_id = None
    if request.query_params.get("category"):
        found = await service.find_category(view, request.query_params["category"])
        category_id = found.id if found else None
    limit = int_param(request, "limit", 30, high=100)
    cursor = decode_cursor(request.query_params.get("cursor"))
    try:
        rows, next_cursor = await queries.topic_list(view, category_id=category_id, cursor=cursor, limit=limit,
                                                     pinned_first=False)
    except (IndexError, TypeError, ValueError):
        from tisserand.errors import TisserandError

        raise TisserandError(_("This page link is broken: start again from the first page."),
                             code="bad_cursor") from None
    fmt = Formatter(view)
    return listing([_topic_json(view, r, fmt) for r in rows],
                   encode_cursor(*next_cursor) if next_cursor else None)


@documented(tags=["forums"], status=201, answer=ForumItemOut)
async def create_topic(request: Request) -> Response:
    """Start a topic: ``{title, body, category?, announcement?}`` → 201 content (``pending`` when held)."""
    require_viewer(request)
    view = await load_community(request, plugin="forums")
    data = await read_json(request, TopicIn)
    content = await service.create_topic(view, title=data.title, body=data.body, category=data.category,
                                         announcement=data.announcement)
    return await _item_json(view, content, 201)


@documented(tags=["forums"], answer=TopicOut, query={"after": "post number to start after", "limit": "1 to 200"})
async def get_topic(request: Request) -> Response:
    """A topic with a page of its ``posts`` (``?after=<number>``, ``?limit=``); ``posts_next`` continues."""
    topic_id = request.path_params["topic_id"]
    view = await _view_for(request, topic_id, (TOPIC,))
    header = await queries.topic_header(view, topic_id)
    if header is None or not can_see_row(view, header):
        raise nothing_here()
    limit = int_param(request, "limit", service.settings().posts_per_page, high=200)
    after = int_param(request, "after", 1, low=1, high=2**31)
    rows, more = await queries.posts_page(view, topic_id, after=after, limit=limit)
    fmt = Formatter(view)
    reactions = await queries.reactions(view, [topic_id, *[r["id"] for r in rows]])
    content = await Content.get(id=topic_id)
    content.community = view.community
    posts = []
    for row in rows:
        shown = fmt.post(row, reactions.get(row["id"], {}), topic_id=topic_id, topic_author=None,
                         solved=header["solved_post_id"], may_solve=False)
        posts.append({
            "id": row["id"], "kind": POST, "number": row["number"], "author": row["author_username"],
            "status": row["status"], "html": shown.html, "reply_to": row["reply_to_id"],
            "created_at": as_datetime(row["created_at"]), "edited_at": as_datetime(row["edited_at"]),
            "reactions": {r.kind: r.count for r in shown.counted},
            "url": topic_path(view.community.slug, topic_id, header["slug"], row["number"], row["id"]),
        })
    data = {**content_json(content, view.community.slug, header["author_username"]),
            **_topic_json(view, header, fmt)}
    data["reactions"] = {k: v[0] for k, v in reactions.get(topic_id, {}).items()}
    data["posts"] = posts
    data["posts_next"] = posts[-1]["number"] if more and posts else None
    return answer(data)


@documented(tags=["forums"], answer=TopicFlagsOut)
async def update_topic(request: Request) -> Response:
    """Pin, lock, mark as announcement or move a topic: ``{pinned?, locked?, announcement?, category?}``."""
    topic_id = request.path_params["topic_id"]
    view = await _view_for(request, topic_id, (TOPIC,))
    require_viewer(request)
    data = await read_json(request, TopicPatch)
    await service.set_flags(view, topic_id, pinned=data.pinned, locked=data.locked, announcement=data.announcement)
    if "category" in data.model_fields_set:
        await service.move(view, topic_id, data.category or None)
    topic = await Topic.get(content_id=topic_id)
    return answer({"id": topic_id, "pinned": topic.pinned, "locked": topic.locked,
                   "announcement": topic.announcement, "category_id": topic.category_id})


@documented(tags=["forums"], answer=SolutionOut)
async def set_solution(request: Request) -> Response:
    """Choose the reply that solved the topic: ``{post: id}``, or ``{post: null}`` to unmark."""
    topic_id = request.path_params["topic_id"]
    view = await _view_for(request, topic_id, (TOPIC,))
    require_viewer(request)
    data = await read_json(request, SolutionIn)
    topic = await service.set_solution(view, topic_id, data.post)
    return answer({"id": topic_id, "solved_post": topic.solved_post_id})
