"""The forum's JSON API (paths relative to ``/api/v1``), as listed in docs/API.md: its route table
and what every resource shares (the request body base, the content answer, finding the
community of a message). The handlers live by resource in ``api_topics``, ``api_posts``,
``api_reactions``, ``api_categories`` and ``api_reading``."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from tisserand.errors import hidden_unless_allowed, nothing_here
from tisserand.i18n import render_stored
from tisserand.models import Community, Content
from tisserand.plugins.forums.models import Post
from tisserand.plugins.forums.text import KINDS, POST
from tisserand.plugins.forums.urls import content_path
from tisserand.web.answers import ContentOut
from tisserand.web.api import answer
from tisserand.web.community import CommunityView, load_community


class Body(BaseModel):
    """Base of request bodies: unknown fields are errors."""

    model_config = ConfigDict(extra="forbid")


class ForumItemOut(ContentOut):
    """A topic or a reply in the content format, with the forum's fields (replies: ``topic``,
    ``reply_to``, ``number``)."""

    status_reason: str | None = None
    edited_at: datetime | None = None
    url: str | None = None
    topic: int | None = None
    reply_to: int | None = None
    number: int | None = None


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


def api_routes() -> list[BaseRoute]:
    """The forum's API routes."""
    from tisserand.plugins.forums.api_categories import (
        create_category,
        delete_category,
        list_categories,
        update_category,
    )
    from tisserand.plugins.forums.api_posts import create_post, delete_post, edit_post, preview, restore_post
    from tisserand.plugins.forums.api_reactions import add_reaction, list_reactions, remove_reaction
    from tisserand.plugins.forums.api_reading import mark_read, watch_forum, watch_topic
    from tisserand.plugins.forums.api_topics import (
        create_topic,
        get_topic,
        list_topics,
        set_solution,
        update_topic,
    )

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
