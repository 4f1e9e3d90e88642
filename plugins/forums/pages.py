"""The forum's pages: front page, category, topic, and the forms to write (GET side)."""

from __future__ import annotations

from operator import itemgetter
from types import SimpleNamespace
from typing import Any

from markupsafe import Markup
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from tisserand.errors import Conflict, Forbidden, NotFound, TisserandError
from tisserand.i18n import _, get_locale
from tisserand.plugins.forums import queries, service
from tisserand.plugins.forums.cache import POST_CACHE_SECONDS, fragments, post_fragments
from tisserand.plugins.forums.models import Category
from tisserand.plugins.forums.text import TOPIC, quote_markdown
from tisserand.plugins.forums.urls import content_path, forum_path, topic_path
from tisserand.plugins.forums.views import Formatter, can_see_row
from tisserand.site import current_site
from tisserand.web.actions import content_actions_for
from tisserand.web.api import decode_cursor, encode_cursor
from tisserand.web.community import CommunityView, load_community, render_community
from tisserand.web.params import MAX_ID
from tisserand.web.security import csrf_token
from tisserand.web.templates import template_environment

TAB = "forums"


async def forum_view(request: Request) -> CommunityView:
    """The community of the request, with the forum switched on, readable by the viewer."""
    return await load_community(request, plugin="forums")


async def render(request: Request, view: CommunityView, template: str, context: dict[str, Any],
                 status_code: int = 200) -> Response:
    """Render a forum template inside the community layout."""
    base = {
        "forum_url": forum_path(view.community.slug),
        "can_create_topic": view.can("forums.topic.create"),
        "can_manage_categories": view.can("forums.category.manage"),
    }
    return await render_community(request, view, template, {**base, **context}, tab=TAB,
                                  status_code=status_code)


def _int(request: Request, name: str) -> int | None:
    raw = request.query_params.get(name, "")
    if not raw:
        return None
    try:
        value = int(raw)
    except ValueError:
        raise TisserandError(_("This page link is broken: start again from the first page."),
                             code="bad_cursor") from None
    return value if 0 <= value <= MAX_ID else None


async def topic_list_context(request: Request, view: CommunityView, category: dict[str, Any] | None) -> dict[str, Any]:
    """Topics, categories and paging for the front page or a category page."""
    limit = service.settings().topics_per_page
    cursor = decode_cursor(request.query_params.get("cursor"))
    try:
        rows, next_cursor = await queries.topic_list(view, category_id=category["id"] if category else None,
                                                     cursor=cursor, limit=limit)
    except (IndexError, TypeError, ValueError):
        raise TisserandError(_("This page link is broken: start again from the first page."),
                             code="bad_cursor") from None
    people = await queries.participants([r["id"] for r in rows])
    fmt = Formatter(view)
    topics = [fmt.topic(r, people.get(r["id"], [])) for r in rows]
    watching = await queries.watching_forum(view)
    return {
        "topics": topics,
        "categories": await queries.categories(view),
        "category": category,
        "next_url": f"?cursor={encode_cursor(*next_cursor)}" if next_cursor else None,
        "first_url": "?" if cursor else None,
        "watching": (category["id"] if category else None) in watching,
        "can_watch": view.is_member,
    }


async def forum_home(request: Request) -> Response:
    """Every topic of the community, latest activity first (pinned topics on top)."""
    view = await forum_view(request)
    context = await topic_list_context(request, view, None)
    return await render(request, view, "forums/index.html", context)


async def category_page(request: Request) -> Response:
    """The topics of one category."""
    view = await forum_view(request)
    category = await Category.get_or_none(community_id=view.community.id,
                                          slug=request.path_params["category"])
    if category is None:
        raise NotFound(_("There is no such category in this forum."))
    data = {"id": category.id, "slug": category.slug, "name": category.name,
            "description": category.description}
    context = await topic_list_context(request, view, data)
    return await render(request, view, "forums/index.html", context)


async def topic_redirect(request: Request) -> Response:
    """``/t/{id}`` without its slug: send to the canonical address."""
    view = await forum_view(request)
    content, topic = await service.get_topic(view, request.path_params["topic_id"])
    return RedirectResponse(topic_path(view.community.slug, content.id, topic.slug), status_code=301)


async def topic_page(request: Request) -> Response:
    """A topic and a page of its replies (``?n=`` from reply n, ``?after=``/``?before=`` keyset)."""
    view = await forum_view(request)
    topic_id = request.path_params["topic_id"]
    header = await queries.topic_header(view, topic_id)
    if header is None or not can_see_row(view, header):
        raise NotFound(_("This topic does not exist or is not visible to you."))
    slug = view.community.slug
    if request.path_params["topic_slug"] != header["slug"]:
        query = f"?{request.url.query}" if request.url.query else ""
        return RedirectResponse(topic_path(slug, topic_id, header["slug"]) + query, status_code=301)
    forum = service.settings()
    per_page = forum.posts_per_page
    after, before, start = _int(request, "after"), _int(request, "before"), _int(request, "n")
    small = int(header["post_seq"]) <= per_page + 1
    if start is not None and not small and start > 2:
        after = start - 1
    if small:
        after = before = None
    first_page = after is None and before is None
    fmt = Formatter(view)
    topic = fmt.topic(header)
    shown = SimpleNamespace(**topic)
    key = None
    if view.viewer is None and forum.anonymous_cache_seconds:
        key = (id(current_site()), topic_id, str(header["created_at"]), header["version"], get_locale(),
               after, before, per_page, header.get("author_avatar"), header.get("participant_avatars"))
    cached = fragments.get(key) if key else None
    if cached is not None:
        posts_html, numbers, more = cached
    else:
        rows, more, reactions, who = await page_rows(view, header, after=after, before=before, per_page=per_page,
                                                     seconds=forum.anonymous_cache_seconds)
        may_solve = view.can("forums.topic.solve_any") or (
            topic["author_id"] is not None and topic["author_id"] == fmt.viewer_id and fmt.can_post)
        common = {"topic_id": topic_id, "topic_author": header["author_id"], "solved": header["solved_post_id"],
                  "may_solve": may_solve}
        shown_rows = ([header] if first_page else []) + rows
        numbers = [r.get("number") or 1 for r in rows]
        can_reply = view.can("forums.post.create") and header["status"] == "published" and (
            not header["locked"] or view.can("forums.topic.lock"))
        actions = await content_actions_for(request, view, shown_rows)
        posts_html = render_posts(request, shown_rows, reactions, common, topic=shown, fmt=fmt, actions=actions,
                                  reply_url=f"/c/{slug}/forum/t/{topic_id}/reply" if can_reply else "", who=who)
        if key:
            fragments.put(key, (posts_html, numbers, more), forum.anonymous_cache_seconds)
    if before is not None:
        prev_url = f"?before={numbers[0]}" if more and numbers else None
        next_url = f"?after={numbers[-1]}" if numbers and numbers[-1] < header["post_seq"] else None
    else:
        prev_url = f"?before={numbers[0]}" if numbers and not first_page else None
        if not numbers and after:
            prev_url = f"?before={after + 1}"
        next_url = f"?after={numbers[-1]}" if more else None
    if view.viewer is not None and view.is_member:
        seen = max(numbers, default=1)
        if seen > (header["last_read_number"] or 0):
            await service.mark_read(view.viewer.id, topic_id, seen)
    forms = await composer_context(view, header)
    forms.update(page_forms(request, fmt, topic_id=topic_id, can_reply=forms["can_reply"]))
    return await render(request, view, "forums/topic.html", {
        "topic": shown,
        "posts_html": posts_html,
        "prev_url": prev_url,
        "next_url": next_url,
        "first_url": None if first_page else topic["url"],
        "last_url": f"?before={int(header['post_seq']) + 1}" if next_url else None,
        "solved_url": (topic_path(slug, topic_id, header["slug"], header["solved_number"], header["solved_post_id"])
                       if header["solved_post_id"] else None),
        "held": request.query_params.get("held") == "1",
        **forms,
    })


_TOPIC_MARK = "topic-placeholder-7d41a0"


def page_forms(request: Request, fmt: Formatter, *, topic_id: int, can_reply: bool) -> dict[str, Markup]:
    """The reply box and the menu of reactions of a topic page (``forums/_forms.html``): the
    same for every topic of a forum and every member, so rendered once per language and forum
    and kept; the topic and the CSRF token go in afterwards."""
    forum_url = forum_path(fmt.view.community.slug)
    key = ("forms", id(current_site()), fmt.language, forum_url, can_reply, fmt.can_react)
    parts = fragments.get(key)
    if parts is None:
        template = template_environment().get_template("forums/_forms.html")
        parts = template.render(can_reply=can_reply, reply_url=f"{forum_url}/t/{_TOPIC_MARK}/reply",
                                forum_url=forum_url, react_choices=fmt.picker() if fmt.can_react else (),
                                csrf_token=_CSRF_MARK, sep=_SEP).split(_SEP)
        fragments.put(key, parts, POST_CACHE_SECONDS)
    token = str(Markup.escape(csrf_token(request)))
    reply_box, react_menu = (Markup(part.replace(_CSRF_MARK, token).replace(_TOPIC_MARK, str(topic_id)))
                             for part in parts)
    return {"reply_box": reply_box, "react_menu": react_menu}


def shown_in_page(view: CommunityView, row: dict[str, Any]) -> bool:
    """Does the viewer get this reply in the page (``queries.visible_sql`` with stubs)?"""
    status = row["status"]
    if view.is_staff or status in ("published", "deleted"):
        return True
    return view.viewer is not None and row["author_id"] == view.viewer.id and status in ("pending", "hidden")


async def page_rows(view: CommunityView, header: dict[str, Any], *, after: int | None, before: int | None,
                    per_page: int, seconds: float) -> tuple[list[dict[str, Any]], bool, Any, Any]:
    """A page's replies, whether more exist, and their reactions (counts with the viewer's own,
    and who).

    The rows and reactions of a version of the page are read once and shared by every reader
    for ``seconds`` (``anonymous_cache_seconds``; the key has the topic's ``version``, which every
    change shown on the page increases, and the writers' pictures, as for anonymous readers);
    a reader who may not see all of them (someone else's reply awaiting review) reads their own."""
    topic_id = int(header["id"])
    first = [topic_id] if after is None and before is None else []
    key = ("rows", id(current_site()), topic_id, str(header["created_at"]), header["version"], after, before,
           per_page, header.get("author_avatar"), header.get("participant_avatars"))
    shared = fragments.get(key) if seconds else None
    if shared is None:
        raw = await queries.posts_rows(topic_id, after=after, before=before, limit=per_page)
        shared = (raw, await queries.reaction_rows(first + [r["id"] for r in raw]))
        if seconds:
            fragments.put(key, shared, seconds)
    raw, reacted = shared
    viewer_id = view.viewer.id if view.viewer is not None else None
    if view.is_staff or all(shown_in_page(view, row) for row in raw):
        rows, more = queries.page_of(raw, before=before, limit=per_page)
        reactions, who = queries.tally(reacted, viewer_id)
        return rows, more, reactions, who
    rows, more = await queries.posts_page(view, topic_id, after=after, before=before, limit=per_page)
    reactions, who = await queries.reactions_with_reactors(view, first + [r["id"] for r in rows])
    return rows, more, reactions, who


_CSRF_MARK = "csrf-placeholder-2f9c1e"
_SEP = Markup("\x1f<!--end of post-->\x1f")
#: The row fields ``Formatter.post`` reads besides ``html``: with the text (as its hash, so keys
#: stay small), the reactions and the viewer's rights on the post, everything it depends on.
_POST_FIELDS = ("id", "number", "status", "status_reason", "author_id", "author_username", "author_name",
                "created_at", "edited_at", "reply_to_id", "reply_to_number", "reply_to_username", "author_avatar", "lang")
_post_fields = itemgetter(*_POST_FIELDS)


def _row_key(row: dict[str, Any]) -> tuple[Any, ...]:
    """What a post's HTML depends on in its row, as one tuple (a page builds 51 of them)."""
    try:
        return (hash(row["html"]), *_post_fields(row))
    except KeyError:  # the opening post comes with the topic's header, without reply fields
        return (hash(row.get("html")), *(row.get(name) for name in _POST_FIELDS))


def render_posts(request: Request, rows: list[dict[str, Any]], reactions: dict[int, dict[str, tuple[int, bool]]],
                 common: dict[str, Any], *, topic: SimpleNamespace, fmt: Formatter, actions: dict[int, Markup],
                 reply_url: str, who: dict[int, dict[str, list[tuple[str, str]]]] | None = None) -> Markup:
    """The ``<ol>`` of a page's posts. Each post's HTML is kept (``post_fragments``) under a key
    made of everything it depends on — its row (text, status, edits), its reactions, the
    viewer's rights on it, its action links, the language and time zone — so members share
    what does not depend on them, any change renders the post again, and only the missing posts
    are rendered (``Formatter.post`` runs for those only). The CSRF token goes in afterwards."""
    forum_url = forum_path(fmt.view.community.slug)
    rights = (fmt.staff, fmt.can_post, fmt.can_react, fmt.edit_any, fmt.delete_any)
    page = (id(current_site()), fmt.language, str(fmt.zone), topic.id, topic.url, reply_url, forum_url,
            rights, tuple(common.values()))
    keys = []
    who = who or {}
    viewer_id = fmt.viewer_id
    for row in rows:
        content_id = row["id"]
        found = reactions.get(content_id)
        people = who.get(content_id)
        keys.append((page, _row_key(row), tuple(sorted(found.items())) if found else (),
                     viewer_id is not None and row["author_id"] == viewer_id, fmt.may_edit(row),
                     str(actions.get(content_id, "")),
                     tuple(sorted((kind, tuple(names)) for kind, names in people.items())) if people else ()))
    html: list[Any] = [post_fragments.get(key) for key in keys]
    missing = [i for i, part in enumerate(html) if part is None]
    if missing:
        posts = [fmt.post(rows[i], reactions.get(rows[i]["id"], {}), who=who.get(rows[i]["id"]), **common)
                 for i in missing]
        template = template_environment().get_template("forums/_posts.html")
        rendered = template.render(posts=posts, base=topic.url, reply_url=reply_url, t=fmt.texts(),
                                   forum_url=forum_url, topic=topic, actions=actions, csrf_token=_CSRF_MARK,
                                   sep=_SEP).split(_SEP)
        for index, part in zip(missing, rendered, strict=False):
            html[index] = part
            post_fragments.put(keys[index], part, POST_CACHE_SECONDS)
    body = "".join(html).replace(_CSRF_MARK, str(Markup.escape(csrf_token(request))))
    return Markup(f'<ol class="posts">{body}</ol>')


async def composer_context(view: CommunityView, header: dict[str, Any]) -> dict[str, Any]:
    """What the reply box needs: may the viewer reply, and if not, why."""
    closed_reason = ""
    can_reply = view.can("forums.post.create")
    if view.community.is_archived:
        closed_reason = _("This community is archived: replies are closed.")
    elif header["status"] != "published":
        can_reply = False
    elif header["locked"] and not view.can("forums.topic.lock"):
        can_reply = False
        closed_reason = _("This topic is locked: it no longer accepts replies.")
    elif not can_reply and view.viewer is None:
        closed_reason = _("Log in to reply.")
    elif not can_reply and view.is_member:
        closed_reason = _("Your role in this community lets you read but not write.")
    elif not can_reply:
        closed_reason = _("Join the community to reply.")
    categories = await queries.categories(view) if view.can("forums.post.edit_any") else []
    return {
        "can_reply": can_reply,
        "closed_reason": closed_reason,
        "reply_url": f"/c/{view.community.slug}/forum/t/{header['id']}/reply",
        "can_pin": view.can("forums.topic.pin"),
        "can_lock": view.can("forums.topic.lock"),
        "can_announce": view.can("forums.topic.announce"),
        "can_move": view.can("forums.post.edit_any"),
        "move_categories": categories,
        "can_watch_topic": view.is_member,
    }


async def new_topic_form(request: Request) -> Response:
    """The form to start a topic (``?category=slug`` preselects the category)."""
    view = await forum_view(request)
    view.require("forums.topic.create")
    return await topic_form(request, view, {"category": request.query_params.get("category", "")})


async def topic_form(request: Request, view: CommunityView, values: dict[str, Any], *,
                     preview: str = "", errors: dict[str, str] | None = None, message: str = "",
                     status_code: int = 200) -> Response:
    """Render the new-topic form with values, a preview or errors."""
    return await render(request, view, "forums/new_topic.html", {
        "values": values, "preview": preview, "errors": errors or {}, "message": message,
        "categories": await queries.categories(view), "can_announce": view.can("forums.topic.announce"),
    }, status_code=status_code)


async def reply_form(request: Request) -> Response:
    """A page to reply (``?reply_to=`` a post, ``?quote=`` a post): the reply box without JavaScript."""
    view = await forum_view(request)
    view.require("forums.post.create")
    topic_content, topic = await service.get_topic(view, request.path_params["topic_id"])
    body = ""
    reply_to = _int(request, "reply_to")
    quote_id = _int(request, "quote")
    if quote_id:
        body = await quote_of(view, quote_id)
        reply_to = quote_id
    return await reply_page(request, view, topic_content, topic, {"body": body, "reply_to": reply_to or ""})


async def reply_page(request: Request, view: CommunityView, topic_content: Any, topic: Any,
                     values: dict[str, Any], *, preview: str = "", errors: dict[str, str] | None = None,
                     message: str = "", status_code: int = 200) -> Response:
    """Render the reply page."""
    url = topic_path(view.community.slug, topic_content.id, topic.slug)
    return await render(request, view, "forums/reply.html", {
        "topic": {"id": topic_content.id, "title": topic_content.title, "url": url, "locked": topic.locked},
        "values": values, "preview": preview, "errors": errors or {}, "message": message,
        "reply_url": f"/c/{view.community.slug}/forum/t/{topic_content.id}/reply",
    }, status_code=status_code)


async def react_page(request: Request) -> Response:
    """A message's reactions as a form, each saying whether the viewer gave it: what "React"
    opens without the page's script (the form posts to the same address, ``actions.react``)."""
    view = await forum_view(request)
    view.require("forums.post.react")
    content = await service.get_item(view, request.path_params["content_id"])
    if content.status != "published":
        raise Conflict(_("You can only react to published messages."))
    if view.viewer is not None and content.author_id == view.viewer.id:
        raise Forbidden(_("You cannot react to your own message."), code="own_content")
    await content.fetch_related("author")
    found = (await queries.reactions(view, [content.id])).get(content.id, {})
    fmt = Formatter(view)
    choices = fmt.picker(found)
    for choice in choices:
        choice.count = found.get(choice.kind, (0, False))[0]
    author = content.author
    return await render(request, view, "forums/react.html", {
        "item": {"id": content.id, "html": content.html, "lang": content.lang or "",
                 "url": content_path(content) or forum_path(view.community.slug),
                 "author": (author.display_name or author.username) if author is not None else "?"},
        "choices": choices,
    })


async def quote_of(view: CommunityView, content_id: int) -> str:
    """The Markdown quoting a post the viewer may see."""
    content = await service.get_item(view, content_id)
    if content.status == "deleted":
        raise NotFound(_("This message does not exist or is not visible to you."))
    await content.fetch_related("author")
    username = content.author.username if content.author else None
    return quote_markdown(content.body, username, content_path(content) or "")


async def quote_text(request: Request) -> Response:
    """The quote of a post as Markdown text (used by the page's script)."""
    from starlette.responses import PlainTextResponse

    view = await forum_view(request)
    return PlainTextResponse(await quote_of(view, request.path_params["content_id"]))


async def edit_form(request: Request) -> Response:
    """The form to edit a topic or a reply."""
    view = await forum_view(request)
    content = await service.get_item(view, request.path_params["content_id"])
    if not service.may_edit(view, content):
        await service.edit(view, content.id, body=content.body, title=content.title or None)  # raises why
    category = ""
    if content.kind == TOPIC:
        topic = await service.Topic.get(content_id=content.id).prefetch_related("category")
        category = topic.category.slug if topic.category else ""
    return await edit_page(request, view, content, {"title": content.title, "body": content.body,
                                                    "category": category})


async def edit_page(request: Request, view: CommunityView, content: Any, values: dict[str, Any], *,
                    preview: str = "", errors: dict[str, str] | None = None, message: str = "",
                    status_code: int = 200) -> Response:
    """Render the edit form."""
    deadline = service.edit_deadline(content)
    return await render(request, view, "forums/edit.html", {
        "item": {"id": content.id, "is_topic": content.kind == TOPIC, "url": content_path(content)},
        "values": values, "preview": preview, "errors": errors or {}, "message": message,
        "deadline": Formatter(view).time(deadline) if deadline and not view.can("forums.post.edit_any") else "",
        "categories": await queries.categories(view) if view.can("forums.post.edit_any") else [],
        "can_move": view.can("forums.post.edit_any") and content.kind == TOPIC,
    }, status_code=status_code)


async def categories_page(request: Request, *, errors: dict[str, str] | None = None,
                          values: dict[str, str] | None = None, status_code: int = 200) -> Response:
    """Manage the categories: create, rename, describe, order, delete."""
    view = await forum_view(request)
    view.require("forums.category.manage")
    return await render(request, view, "forums/categories.html", {
        "categories": await queries.categories(view), "errors": errors or {}, "values": values or {},
    }, status_code=status_code)
