"""The forum's JSON API (paths relative to ``/api/v1``), as listed in docs/API.md."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from tisserand.errors import Forbidden, NotFound, hidden_unless_allowed, nothing_here
from tisserand.i18n import _, render_stored
from tisserand.models import Community, Content
from tisserand.plugins.forums import categories as cats
from tisserand.plugins.forums import queries, service
from tisserand.plugins.forums.actions import render_preview
from tisserand.plugins.forums.models import Category, Post, Topic
from tisserand.plugins.forums.text import KINDS, POST, TOPIC, as_datetime
from tisserand.plugins.forums.urls import content_path, topic_path
from tisserand.plugins.forums.views import Formatter, can_see_row
from tisserand.web.answers import ContentOut, Out
from tisserand.web.api import (
    NoBody,
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


class Body(BaseModel):
    """Base of request bodies: unknown fields are errors."""

    model_config = ConfigDict(extra="forbid")


class TopicIn(Body):
    title: str = Field(max_length=300)
    body: str
    category: str | None = None
    announcement: bool = False


class PostIn(Body):
    body: str
    reply_to: Id | None = None


class EditIn(Body):
    body: str
    title: str | None = Field(None, max_length=300)


class TopicPatch(Body):
    pinned: bool | None = None
    locked: bool | None = None
    announcement: bool | None = None
    category: str | None = Field(None, description="category slug, or '' for none")


class SolutionIn(Body):
    post: Id | None


class ReactionIn(Body):
    kind: str


class CategoryIn(Body):
    name: str
    slug: str = ""
    description: str = ""


class CategoryPatch(Body):
    """Rename, describe or move a category (absent fields stay as they are; its address stays)."""

    name: str | None = Field(None, max_length=100)
    description: str | None = Field(None, max_length=2000)
    position: int | None = Field(None, ge=0, le=10_000, description="0 is first; beyond the end means last")


class ReadIn(Body):
    """How far the member has read: a post number (the whole topic when absent)."""

    number: int | None = Field(None, ge=1, le=2**31)


class WatchIn(Body):
    """Follow (``on: true``) or stop following; ``category`` (a slug) narrows a forum watch."""

    on: bool
    category: str | None = Field(None, max_length=64)


class TopicWatchIn(Body):
    """Follow every reply of a topic (``on: true``), or stop."""

    on: bool


class PreviewIn(Body):
    body: str


class ForumItemOut(ContentOut):
    """A topic or a reply in the content format, with the forum's fields (replies: ``topic``,
    ``reply_to``, ``number``)."""

    status_reason: str | None = None
    edited_at: datetime | None = None
    url: str | None = None
    topic: int | None = None
    reply_to: int | None = None
    number: int | None = None


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


class ReactionOut(Out):
    """A reaction given (``on``) or taken back."""

    content: int
    kind: str
    on: bool


class CategoryOut(Out):
    """A forum category (``topic_count`` in lists)."""

    slug: str
    name: str
    description: str
    position: int
    topic_count: int | None = None


class ReadOut(Out):
    """Where the member stands in a topic."""

    topic: int
    last_read: int
    unread: int


class WatchOut(Out):
    """What is followed now."""

    watching: bool
    category: str | None = None
    topic: int | None = None


class PreviewOut(Out):
    """Markdown rendered as it would be posted."""

    html: str


def content_json(content: Content, community_slug: str, author: str | None, **extra: Any) -> dict[str, Any]:
    """A forum item in the API's content format, plus forum fields."""
    return {
        "id": content.id, "kind": content.kind, "community": community_slug, "author": author,
        "title": content.title, "body": content.body, "html": content.html, "status": str(content.status),
        "status_reason": render_stored(content.status_reason), "created_at": content.created_at,
        "updated_at": content.updated_at, "edited_at": content.edited_at, "url": content_path(content),
        **extra,
    }


async def _view_for(request: Request, content_id: int, kinds: tuple[str, ...] = KINDS) -> CommunityView:
    row = await Content.get_or_none(id=content_id, kind__in=kinds).only("id", "community_id")
    if row is None:
        raise nothing_here()
    community = await Community.get(id=row.community_id)
    with hidden_unless_allowed():  # a secret or private community answers like a missing id
        return await load_community(request, slug=community.slug, plugin="forums")


async def _item_json(view: CommunityView, content: Content, status_code: int = 200) -> Response:
    extra: dict[str, Any] = {}
    if content.kind == POST:
        meta = content.meta or {}
        if isinstance(meta.get("topic"), int) and isinstance(meta.get("n"), int) and "reply_to" in meta:
            # known since the save: a committed reply is answered without asking the database
            # again (if it went away meanwhile, the client must not retry and post twice)
            extra = {"topic": meta["topic"], "reply_to": meta["reply_to"], "number": meta["n"]}
        else:
            post = await Post.get(content_id=content.id)
            extra = {"topic": post.topic_id, "reply_to": post.reply_to_id, "number": post.number}
    username = view.viewer.username if view.viewer and content.author_id == view.viewer.id else None
    if username is None and content.author_id is not None:
        await content.fetch_related("author")
        username = content.author.username if content.author else None
    return answer(content_json(content, view.community.slug, username, **extra), status_code)


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


@documented(tags=["forums"], status=201, answer=ForumItemOut)
async def create_post(request: Request) -> Response:
    """Reply in a topic: ``{body, reply_to?}`` → 201 content (``status: "pending"`` when held)."""
    topic_id = request.path_params["topic_id"]
    view = await _view_for(request, topic_id, (TOPIC,))
    require_viewer(request)
    data = await read_json(request, PostIn)
    content = await service.reply(view, topic_id, body=data.body, reply_to=data.reply_to)
    return await _item_json(view, content, 201)


@documented(tags=["forums"], answer=ForumItemOut)
async def edit_post(request: Request) -> Response:
    """Edit a topic or a reply: ``{body, title?}`` (authors within the edit window, or staff)."""
    content_id = request.path_params["content_id"]
    view = await _view_for(request, content_id)
    require_viewer(request)
    data = await read_json(request, EditIn)
    content = await service.edit(view, content_id, body=data.body, title=data.title)
    return await _item_json(view, content)


@documented(tags=["forums"], answer=ForumItemOut)
async def delete_post(request: Request) -> Response:
    """Delete a topic or a reply (soft: its author or staff)."""
    content_id = request.path_params["content_id"]
    view = await _view_for(request, content_id)
    require_viewer(request)
    content = await service.delete(view, content_id)
    return await _item_json(view, content)


@documented(tags=["forums"], answer=ForumItemOut)
async def restore_post(request: Request) -> Response:
    """Bring a deleted topic or reply back (those who may delete any message); 409 when it is
    not deleted."""
    content_id = request.path_params["content_id"]
    view = await _view_for(request, content_id)
    require_viewer(request)
    await read_json(request, NoBody)
    content = await service.restore(view, content_id)
    return await _item_json(view, content)


@documented(tags=["forums"], status=201, answer=ReactionOut)
async def add_reaction(request: Request) -> Response:
    """React to a topic or a reply: ``{kind}`` (like, thanks, insightful, celebrate, laugh) → 201."""
    content_id = request.path_params["content_id"]
    view = await _view_for(request, content_id)
    require_viewer(request)
    data = await read_json(request, ReactionIn)
    await service.react(view, content_id, data.kind, True)
    return answer({"content": content_id, "kind": data.kind, "on": True}, 201)


class ReactorOut(Out):
    """Someone who reacted."""

    username: str
    name: str


class ReactionKindOut(Out):
    """One kind of reaction to a message: how many, mine or not, and who."""

    kind: str
    label: str
    count: int
    mine: bool
    who: list[ReactorOut]


@documented(tags=["forums"], answer=ReactionKindOut, listing=True)
async def list_reactions(request: Request) -> Response:
    """Who reacted to a topic or a reply, by kind: ``{kind, label, count, mine, who: [{username,
    name}]}`` — for viewers who may see the message (404 to the others)."""
    from tisserand.plugins.forums.text import REACTIONS, reaction_labels

    content_id = request.path_params["content_id"]
    view = await _view_for(request, content_id)
    if not view.can_read:
        raise nothing_here()
    await service.get_item(view, content_id)
    found = (await queries.reactors([content_id])).get(content_id, {})
    labels = reaction_labels()
    me = view.viewer.username if view.viewer is not None else None
    items = [{"kind": kind, "label": labels[kind], "count": len(people),
              "mine": any(u == me for u, _n in people),
              "who": [{"username": u, "name": n} for u, n in people]}
             for kind, _emoji in REACTIONS if (people := found.get(kind))]
    return listing(items, None)


@documented(tags=["forums"], answer=ReactionOut)
async def remove_reaction(request: Request) -> Response:
    """Take back one's reaction of a kind."""
    content_id = request.path_params["content_id"]
    view = await _view_for(request, content_id)
    require_viewer(request)
    await service.react(view, content_id, request.path_params["kind"], False)
    return answer({"content": content_id, "kind": request.path_params["kind"], "on": False})


@documented(tags=["forums"], listing=True, answer=CategoryOut)
async def list_categories(request: Request) -> Response:
    """The forum's categories, in order, with their topic counts."""
    view = await load_community(request, plugin="forums")
    rows = await queries.categories(view)
    return listing([{k: r[k] for k in ("slug", "name", "description", "position", "topic_count")} for r in rows],
                   None)


@documented(tags=["forums"], status=201, answer=CategoryOut)
async def create_category(request: Request) -> Response:
    """Add a category: ``{name, slug?, description?}`` (coordinators and animators) → 201."""
    require_viewer(request)
    view = await load_community(request, plugin="forums")
    data = await read_json(request, CategoryIn)
    category = await cats.create_category(view, name=data.name, slug=data.slug, description=data.description)
    return answer(_category_json(category), 201)


def _category_json(category: Any) -> dict[str, Any]:
    return {"slug": category.slug, "name": category.name, "description": category.description,
            "position": category.position}


async def _category(view: CommunityView, slug: str) -> Any:
    """The category ``{category}`` (its slug) of the forum, or 404 (after the right is checked,
    so an outsider cannot tell which categories exist)."""
    view.require("forums.category.manage")
    found = await Category.get_or_none(community_id=view.community.id, slug=slug)
    if found is None:
        raise NotFound(_("There is no such category in this forum."))
    return found


@documented(tags=["forums"], answer=CategoryOut)
async def update_category(request: Request) -> Response:
    """Rename, describe or move a category: ``{name?, description?, position?}`` (coordinators and
    animators); its address (slug) stays, so links keep working."""
    require_viewer(request)
    view = await load_community(request, plugin="forums")
    data = await read_json(request, CategoryPatch)
    category = await _category(view, request.path_params["category"])
    if data.name is not None or data.description is not None:
        category = await cats.update_category(
            view, category.id, name=category.name if data.name is None else data.name,
            description=category.description if data.description is None else data.description)
    if data.position is not None:
        await cats.place_category(view, category.id, data.position)
        category = await cats.get_category(view, category.id)
    return answer(_category_json(category))


@documented(tags=["forums"], status=204)
async def delete_category(request: Request) -> Response:
    """Delete a category (coordinators and animators); its topics stay, without category."""
    require_viewer(request)
    view = await load_community(request, plugin="forums")
    category = await _category(view, request.path_params["category"])
    await cats.delete_category(view, category.id)
    return Response(status_code=204)


@documented(tags=["forums"], answer=ReadOut)
async def mark_read(request: Request) -> Response:
    """Mark a topic read up to post ``number`` (all of it when absent), as opening its last page
    does; the read position never moves back. Members of the community only."""
    topic_id = request.path_params["topic_id"]
    view = await _view_for(request, topic_id, (TOPIC,))
    require_viewer(request)
    data = await read_json(request, ReadIn)
    header = await queries.topic_header(view, topic_id)
    if header is None or not can_see_row(view, header):
        raise nothing_here()
    if not view.is_member:
        raise Forbidden(_("Only the members of this community keep track of what they have read."))
    highest = int(header["post_seq"] or 1)
    number = min(data.number or highest, highest)
    assert view.viewer is not None
    await service.mark_read(view.viewer.id, topic_id, number)
    last_read = max(number, int(header["last_read_number"] or 0))
    return answer({"topic": topic_id, "last_read": last_read, "unread": max(0, highest - last_read)})


@documented(tags=["forums"], answer=WatchOut)
async def watch_forum(request: Request) -> Response:
    """Be told (or stop being told) of new topics in the forum, or in one ``category``, as the
    forum's *Follow* button does: ``{on, category?}``."""
    require_viewer(request)
    view = await load_community(request, plugin="forums")
    data = await read_json(request, WatchIn)
    category = await service.find_category(view, data.category)
    await service.watch_forum(view, category, data.on)
    return answer({"watching": data.on, "category": category.slug if category else None})


@documented(tags=["forums"], answer=WatchOut)
async def watch_topic(request: Request) -> Response:
    """Be told (or stop being told) of every reply in a topic: ``{on}``."""
    topic_id = request.path_params["topic_id"]
    view = await _view_for(request, topic_id, (TOPIC,))
    require_viewer(request)
    data = await read_json(request, TopicWatchIn)
    await service.watch_topic(view, topic_id, data.on)
    return answer({"watching": data.on, "topic": topic_id})


@documented(tags=["forums"], answer=PreviewOut)
async def preview(request: Request) -> Response:
    """Render Markdown as it would be posted: ``{body}`` → ``{html}`` (sanitized)."""
    require_viewer(request)
    data = await read_json(request, PreviewIn)
    return answer({"html": await render_preview(request, data.body)})


def api_routes() -> list[BaseRoute]:
    """The forum's API routes."""
    community = "/communities/{slug}/forum"
    return [
        Route(f"{community}/topics", list_topics, methods=["GET"], name="forums_list_topics"),
        Route(f"{community}/topics", create_topic, methods=["POST"], name="forums_create_topic"),
        Route(f"{community}/categories", list_categories, methods=["GET"], name="forums_list_categories"),
        Route(f"{community}/categories", create_category, methods=["POST"], name="forums_create_category"),
        Route(f"{community}/categories/{{category}}", update_category, methods=["PATCH"],
              name="forums_update_category"),
        Route(f"{community}/categories/{{category}}", delete_category, methods=["DELETE"],
              name="forums_delete_category"),
        Route("/forum/topics/{topic_id:id}/read", mark_read, methods=["PUT"], name="forums_mark_read"),
        Route("/forum/topics/{topic_id:id}/watch", watch_topic, methods=["PUT"], name="forums_watch_topic"),
        Route(f"{community}/watch", watch_forum, methods=["PUT"], name="forums_watch"),
        Route("/forum/preview", preview, methods=["POST"], name="forums_preview"),
        Route("/forum/topics/{topic_id:id}", get_topic, methods=["GET"], name="forums_get_topic"),
        Route("/forum/topics/{topic_id:id}", update_topic, methods=["PATCH"], name="forums_update_topic"),
        Route("/forum/topics/{topic_id:id}/solution", set_solution, methods=["PUT"], name="forums_solution"),
        Route("/forum/topics/{topic_id:id}/posts", create_post, methods=["POST"], name="forums_create_post"),
        Route("/forum/posts/{content_id:id}", edit_post, methods=["PUT"], name="forums_edit_post"),
        Route("/forum/posts/{content_id:id}", delete_post, methods=["DELETE"], name="forums_delete_post"),
        Route("/forum/posts/{content_id:id}/restore", restore_post, methods=["POST"], name="forums_restore"),
        Route("/forum/posts/{content_id:id}/reactions", add_reaction, methods=["POST"], name="forums_react"),
        Route("/forum/posts/{content_id:id}/reactions", list_reactions, methods=["GET"], name="forums_reactions"),
        Route("/forum/posts/{content_id:id}/reactions/{kind}", remove_reaction, methods=["DELETE"],
              name="forums_unreact"),
    ]
