"""The forum's forms (POST side). Each answers with a redirect (303) on success, or the same
form again with the text kept and the reason shown when the input or a moderation check refuses it."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from tisserand.content import ContentRejected
from tisserand.errors import Conflict, TisserandError, ValidationFailed
from tisserand.i18n import _
from tisserand.plugins.forums import categories as cats
from tisserand.plugins.forums import pages, queries, service
from tisserand.plugins.forums.models import Category, Reaction
from tisserand.plugins.forums.text import TOPIC, reaction_labels
from tisserand.plugins.forums.urls import content_path, forum_path, topic_path
from tisserand.plugins.forums.views import who_text
from tisserand.web.forms import read_form
from tisserand.web.params import id_or_none
from tisserand.web.preview import preview_html

FORM_ERRORS = (ValidationFailed, ContentRejected)


def redirect(url: str) -> RedirectResponse:
    """See other (303): the browser GETs ``url`` after a successful POST."""
    return RedirectResponse(url, status_code=303)


def _flag(value: str | None) -> bool | None:
    if value is None or value == "":
        return None
    return value in ("1", "on", "true", "yes")


async def render_preview(request: Request, body: str) -> str:
    """HTML of ``body`` through the site's renderer (sanitized), as the post will look
    (rate-limited and bounded: :func:`tisserand.web.preview.preview_html`)."""
    return await preview_html(request, body, {})


def _status(exc: TisserandError) -> int:
    return exc.status_code if exc.status_code >= 400 else 422


async def create_topic(request: Request) -> Response:
    """Start a topic (or show a preview of it)."""
    view = await pages.forum_view(request)
    form = await read_form(request)
    values: dict[str, Any] = {"title": form.get("title", ""), "body": form.get("body", ""),
                              "category": form.get("category", ""),
              "announcement": _flag(form.get("announcement")) or False}
    if form.get("action") == "preview":
        view.require("forums.topic.create")
        return await pages.topic_form(request, view, values, preview=await render_preview(request, values["body"]))
    try:
        content = await service.create_topic(view, title=values["title"], body=values["body"],
                                             category=values["category"] or None,
                                             announcement=values["announcement"])
    except FORM_ERRORS as exc:
        return await pages.topic_form(request, view, values, errors=exc.fields, message=exc.message,
                                      status_code=_status(exc))
    url = content_path(content) or forum_path(view.community.slug)
    return redirect(url + ("?held=1" if content.status == "pending" else ""))


async def create_reply(request: Request) -> Response:
    """Reply in a topic (or show a preview of the reply)."""
    view = await pages.forum_view(request)
    topic_id = request.path_params["topic_id"]
    form = await read_form(request)
    values = {"body": form.get("body", ""), "reply_to": form.get("reply_to", "")}
    reply_to = id_or_none(values["reply_to"])
    if form.get("action") == "preview":
        view.require("forums.post.create")
        topic_content, topic = await service.get_topic(view, topic_id)
        return await pages.reply_page(request, view, topic_content, topic, values,
                                      preview=await render_preview(request, values["body"]))
    try:
        content = await service.reply(view, topic_id, body=values["body"], reply_to=reply_to)
    except FORM_ERRORS as exc:
        topic_content, topic = await service.get_topic(view, topic_id)
        return await pages.reply_page(request, view, topic_content, topic, values, errors=exc.fields,
                                      message=exc.message, status_code=_status(exc))
    meta = content.meta or {}
    url = topic_path(view.community.slug, topic_id, meta.get("tslug", "topic"), meta.get("n"))
    held = content.status == "pending"
    if held:
        url += ("&" if "?" in url else "?") + "held=1"
    return redirect(f"{url}#p{content.id}")


async def edit_post(request: Request) -> Response:
    """Save an edit (or preview it)."""
    view = await pages.forum_view(request)
    content = await service.get_item(view, request.path_params["content_id"])
    form = await read_form(request)
    is_topic = content.kind == TOPIC
    values = {"title": form.get("title", content.title), "body": form.get("body", ""),
              "category": form.get("category", "")}
    if form.get("action") == "preview":
        return await pages.edit_page(request, view, content, values, preview=await render_preview(request, values["body"]))
    try:
        await service.edit(view, content.id, body=values["body"], title=values["title"] if is_topic else None,
                           category=values["category"] if "category" in form else None)
    except FORM_ERRORS as exc:
        return await pages.edit_page(request, view, content, values, errors=exc.fields, message=exc.message,
                                     status_code=_status(exc))
    return redirect(content_path(await service.get_item(view, content.id)) or forum_path(view.community.slug))


async def delete_post(request: Request) -> Response:
    """Delete a post (soft); deleting the opening post deletes the topic."""
    view = await pages.forum_view(request)
    form = await read_form(request)
    content = await service.delete(view, request.path_params["content_id"], reason=form.get("reason", "")[:500])
    if content.kind == TOPIC:
        return redirect(forum_path(view.community.slug))
    return redirect(content_path(content) or forum_path(view.community.slug))


async def restore_post(request: Request) -> Response:
    """Bring a deleted post back."""
    view = await pages.forum_view(request)
    await read_form(request)
    content = await service.restore(view, request.path_params["content_id"])
    return redirect(content_path(content) or forum_path(view.community.slug))


async def react(request: Request) -> Response:
    """Toggle a reaction; answers JSON to the page's script, a redirect to everyone else."""
    view = await pages.forum_view(request)
    form = await read_form(request)
    content_id = request.path_params["content_id"]
    on = await service.react(view, content_id, form.get("kind", ""), _flag(form.get("on")))
    if "application/json" in request.headers.get("accept", ""):
        kind = form.get("kind", "")
        count = await Reaction.filter(content_id=content_id, kind=kind).count()
        names = [name for _username, name in (await queries.reactors([content_id])).get(content_id, {}).get(kind, [])]
        return JSONResponse({"kind": kind, "on": on, "count": count,
                             "who": who_text(reaction_labels().get(kind, kind), names)})
    content = await service.get_item(view, content_id)
    url = content_path(content) or forum_path(view.community.slug)
    return redirect(url if "#" in url else f"{url}#p{content.id}")


async def solve(request: Request) -> Response:
    """Mark (``post=<id>``) or unmark (``post=``) the answer that solved the topic."""
    view = await pages.forum_view(request)
    form = await read_form(request)
    post = form.get("post", "")
    topic_id = request.path_params["topic_id"]
    await service.set_solution(view, topic_id, int(post) if post.isdigit() else None)
    content, topic = await service.get_topic(view, topic_id)
    return redirect(topic_path(view.community.slug, content.id, topic.slug))


async def flags(request: Request) -> Response:
    """Pin, lock, mark as announcement, or move to a category."""
    view = await pages.forum_view(request)
    form = await read_form(request)
    topic_id = request.path_params["topic_id"]
    await service.set_flags(view, topic_id, pinned=_flag(form.get("pinned")), locked=_flag(form.get("locked")),
                            announcement=_flag(form.get("announcement")))
    if "category" in form:
        await service.move(view, topic_id, form["category"] or None)
    content, topic = await service.get_topic(view, topic_id)
    return redirect(topic_path(view.community.slug, content.id, topic.slug))


async def watch_topic(request: Request) -> Response:
    """Follow (or stop following) every reply of a topic."""
    view = await pages.forum_view(request)
    form = await read_form(request)
    topic_id = request.path_params["topic_id"]
    await service.watch_topic(view, topic_id, bool(_flag(form.get("on"))))
    content, topic = await service.get_topic(view, topic_id)
    return redirect(topic_path(view.community.slug, content.id, topic.slug))


async def watch_forum(request: Request) -> Response:
    """Follow (or stop following) new topics of the forum or of one category."""
    view = await pages.forum_view(request)
    form = await read_form(request)
    category = None
    if form.get("category"):
        category = await Category.get_or_none(community_id=view.community.id, slug=form["category"])
    await service.watch_forum(view, category, bool(_flag(form.get("on"))))
    url = forum_path(view.community.slug) + (f"/{category.slug}" if category else "")
    return redirect(url)


async def preview(request: Request) -> Response:
    """Render Markdown as it will look once posted (an HTML fragment, sanitized)."""
    view = await pages.forum_view(request)
    if view.viewer is None:
        view.require("forums.post.create")
    form = await read_form(request)
    return HTMLResponse(await render_preview(request, form.get("body", "")))


async def manage_categories(request: Request) -> Response:
    """Create, edit, move or delete a category (``action`` says which)."""
    view = await pages.forum_view(request)
    form = await read_form(request)
    action = form.get("action", "create")
    raw_id = form.get("id", "")
    category_id = int(raw_id) if raw_id.isdigit() else 0
    try:
        if action == "create":
            await cats.create_category(view, name=form.get("name", ""), slug=form.get("slug", ""),
                                       description=form.get("description", ""))
        elif action == "update":
            await cats.update_category(view, category_id, name=form.get("name", ""),
                                       description=form.get("description", ""))
        elif action in ("up", "down"):
            await cats.move_category(view, category_id, -1 if action == "up" else 1)
        elif action == "delete":
            await cats.delete_category(view, category_id)
        else:
            raise ValidationFailed(_("Unknown action."))
    except (ValidationFailed, Conflict) as exc:
        values: dict[str, Any] = {k: form.get(k, "") for k in ("name", "slug", "description")}
        return await pages.categories_page(request, errors=exc.fields or {"name": exc.message},
                                           values=values, status_code=422)
    return redirect(f"/c/{view.community.slug}/forum/categories")
