"""Replies in the forum's JSON API: post, edit, delete and restore a message, and preview
Markdown as it would be posted."""

from __future__ import annotations

from pydantic import Field
from starlette.requests import Request
from starlette.responses import Response

from tisserand.plugins.forums import service
from tisserand.plugins.forums.actions import render_preview
from tisserand.plugins.forums.api import Body, ForumItemOut, _item_json, _view_for
from tisserand.plugins.forums.text import TOPIC
from tisserand.web.answers import Out
from tisserand.web.api import NoBody, answer, documented, read_json, require_viewer
from tisserand.web.params import Id


class PostIn(Body):
    body: str
    reply_to: Id | None = None


class EditIn(Body):
    body: str
    title: str | None = Field(None, max_length=300)


class PreviewIn(Body):
    body: str


class PreviewOut(Out):
    """Markdown rendered as it would be posted."""

    html: str


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


@documented(tags=["forums"], answer=PreviewOut)
async def preview(request: Request) -> Response:
    """Render Markdown as it would be posted: ``{body}`` → ``{html}`` (sanitized)."""
    require_viewer(request)
    data = await read_json(request, PreviewIn)
    return answer({"html": await render_preview(request, data.body)})
