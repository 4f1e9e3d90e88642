"""The moderation pages of a community: the review queue and its decisions, the flag form, and
a member's own page (held and hidden posts, sanctions, appeals). Management pages (sanctions,
appeals, watched words, log, site administration) are in ``routes_manage``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from starlette.responses import RedirectResponse
from starlette.routing import BaseRoute, Route

from tisserand.errors import NotFound, TisserandError, Unauthorized, hidden_unless_allowed, nothing_here
from tisserand.i18n import _
from tisserand.models import Content
from tisserand.plugins.moderation import actions, appeals, flags, trust
from tisserand.plugins.moderation import queue as review_queue
from tisserand.plugins.moderation.access import Place, content_place
from tisserand.plugins.moderation.models import Appeal, Sanction
from tisserand.plugins.moderation.scoring import describe, describe_hold
from tisserand.site import current_site
from tisserand.web.api import decode_cursor, encode_cursor
from tisserand.web.community import load_community, render_community
from tisserand.web.flash import flash_redirect
from tisserand.web.forms import read_form
from tisserand.web.params import id_or_none

if TYPE_CHECKING:
    from starlette.requests import Request
    from starlette.responses import Response

    from tisserand.web.community import CommunityView

TAB = "moderation"


def done_message(action: str) -> str:
    """What a moderator reads after a decision."""
    return {"approve": _("Approved: the post is published."), "hide": _("Hidden: its author was told why."),
            "delete": _("Deleted: its author was told why."),
            "restore": _("Restored: the post is published again.")}.get(action, _("Saved."))


async def moderation_place(request: Request, *, read: bool = True, slug: str | None = None
                           ) -> tuple[CommunityView, Place]:
    """The community (with the plugin switched on) and the viewer's place in it; 401 for visitors."""
    view = await load_community(request, slug=slug, plugin="moderation", read=read)
    if view.viewer is None:
        raise Unauthorized(_("Log in to do this."))
    return view, Place(view.community, view.viewer, view.membership)


def tabs(where: Place) -> list[tuple[str, str, str]]:
    """The moderation section's own tabs: (name, label, path) the viewer may open."""
    base = f"/c/{where.community.slug}/moderation"
    items = []
    if where.can("moderation.queue.view"):
        items.append(("queue", _("Review queue"), base))
    if where.can("moderation.sanction"):
        items.append(("sanctions", _("Sanctions"), f"{base}/sanctions"))
    if where.can("moderation.appeals.answer"):
        items.append(("appeals", _("Appeals"), f"{base}/appeals"))
    if where.can("moderation.queue.view"):
        items.append(("words", _("Watched words and settings"), f"{base}/words"))
    if where.can("community.audit.view"):
        items.append(("log", _("Log"), f"{base}/log"))
    items.append(("mine", _("My posts and sanctions"), f"{base}/mine"))
    return items


async def render(request: Request, view: CommunityView, where: Place, template: str, context: dict[str, Any],
                 section: str, status_code: int = 200) -> Response:
    """A moderation page inside the community layout, with the section's tabs."""
    full = {"where": where, "sections": tabs(where), "section": section, "describe": describe,
            "describe_hold": describe_hold,
            "trust_label": trust.label, **context}
    return await render_community(request, view, template, full, tab=TAB, status_code=status_code)


async def queue_page(request: Request) -> Response:
    """Held and flagged posts, oldest first, with flags, score and the author's history."""
    view, where = await moderation_place(request)
    if not where.can("moderation.queue.view"):
        return RedirectResponse(f"/c/{view.community.slug}/moderation/mine", status_code=303)
    show = request.query_params.get("show", "all")
    show = show if show in review_queue.FILTERS else "all"
    cursor = decode_cursor(request.query_params.get("cursor"), int)
    items, next_id = await review_queue.items(current_site(), view.community, show=show,
                                              after=int(cursor[0]) if cursor else None)
    return await render(request, view, where, "moderation/queue.html", {
        "items": items, "show": show, "next": encode_cursor(next_id) if next_id else None,
        "threshold": await _threshold(view), "can_moderate": where.can("content.moderate"),
        "can_sanction": where.can("moderation.sanction"),
    }, "queue")


async def _threshold(view: CommunityView) -> float:
    from tisserand.plugins.moderation.settings_service import effective

    return float((await effective(current_site(), view.community))["flag_threshold"]["effective"])


async def _item(request: Request) -> tuple[Content, Place, CommunityView]:
    view, _where = await moderation_place(request)
    content, where = await content_place(int(request.path_params["id"]), view.viewer)
    if content.community_id != view.community.id:
        raise NotFound(_("There is nothing at this address."))
    return content, where, view


async def decide(request: Request) -> Response:
    """Approve, hide, delete or restore an item from the queue."""
    content, where, view = await _item(request)
    form = await read_form(request)
    action = form.get("action", "")
    await actions.moderate(current_site(), content, where, action, form.get("reason", ""))
    back = form.get("next") or f"/c/{view.community.slug}/moderation"
    if not back.startswith("/") or back.startswith("//"):
        back = f"/c/{view.community.slug}/moderation"
    return flash_redirect(back, done_message(action))


async def edit(request: Request) -> Response:
    """Edit an item's title and text (and approve it in the same step)."""
    content, where, view = await _item(request)
    where.require("content.moderate")
    errors: dict[str, str] = {}
    message = ""
    if request.method == "POST":
        form = await read_form(request)
        try:
            content = await actions.moderate(current_site(), content, where, "edit", form.get("reason", ""),
                                             title=form.get("title", content.title), body=form.get("body", ""))
            if form.get("approve") and content.status in ("pending", "hidden"):
                await actions.moderate(current_site(), content, where, "approve", form.get("reason", ""))
            return flash_redirect(f"/c/{view.community.slug}/moderation", _("Saved."))
        except TisserandError as exc:
            errors, message = exc.fields, exc.message
            content.title, content.body = form.get("title", ""), form.get("body", "")
    return await render(request, view, where, "moderation/edit.html", {
        "content": content, "errors": errors, "message": message}, "queue",
        status_code=422 if message else 200)


async def flag_page(request: Request) -> Response:
    """Flag a post: a reason and, if needed, a note for the moderators. Reached from the
    "Report" link under any post (``/moderation/flag/{id}``) or within the community."""
    slug = request.path_params.get("slug")
    if getattr(request.state, "viewer", None) is None:  # the same for every id: log in first
        raise Unauthorized(_("Log in to do this."))
    with hidden_unless_allowed():  # an id in a private or secret community answers like a missing one
        if slug is None:  # the site-wide address: find the post's community first
            found = await Content.get_or_none(id=int(request.path_params["id"])).select_related("community")
            if found is None:
                raise nothing_here()
            slug = found.community.slug
        view, _where = await moderation_place(request, slug=slug)
        content, where = await content_place(int(request.path_params["id"]), view.viewer)
        if content.community_id != view.community.id:
            raise nothing_here()
    errors: dict[str, str] = {}
    message = ""
    values = {"reason": "", "note": ""}
    if request.method == "POST":
        form = await read_form(request)
        values = {"reason": form.get("reason", ""), "note": form.get("note", "")}
        try:
            await flags.add(current_site(), content, where, values["reason"], values["note"])
            back = form.get("next", "")
            if not back.startswith("/") or back.startswith("//"):
                back = review_queue.url_of(current_site(), content) or f"/c/{view.community.slug}"
            return flash_redirect(back, _("Thank you: the moderators have your report."))
        except TisserandError as exc:
            errors, message = exc.fields, exc.message
    reasons = [(code, flags.reason_label(code)) for code in flags.REASONS]
    return await render(request, view, where, "moderation/flag.html", {
        "content": content, "reasons": reasons, "values": values, "errors": errors, "message": message,
        "next": request.query_params.get("next", "")},
        "mine", status_code=422 if message else 200)


async def mine(request: Request) -> Response:
    """Your held, hidden and deleted posts here, your sanctions, and your appeals."""
    view, where = await moderation_place(request, read=False)
    member = where.viewer
    assert member is not None
    contents = await Content.filter(author_id=member.id, community_id=view.community.id,
                                    status__in=["pending", "hidden", "deleted"]).order_by("-id").limit(50)
    sanctions = await Sanction.filter(member_id=member.id, community_id=view.community.id).order_by("-id").limit(50)
    appealed = await Appeal.filter(member_id=member.id, community_id=view.community.id).values(
        "content_id", "sanction_id", "state", "answer")
    by_content = {a["content_id"]: a for a in appealed if a["content_id"]}
    by_sanction = {a["sanction_id"]: a for a in appealed if a["sanction_id"]}
    from tisserand.plugins.moderation.settings_service import effective, trust_of

    return await render(request, view, where, "moderation/mine.html", {
        "contents": contents, "sanctions": sanctions, "by_content": by_content, "by_sanction": by_sanction,
        "trust": await trust_of(current_site(), member), "settings": await effective(current_site(), view.community),
        "appealable": appeals.APPEALABLE,
    }, "mine")


async def appeal(request: Request) -> Response:
    """File your one appeal about a post or a sanction."""
    view, where = await moderation_place(request, read=False)
    form = await read_form(request)
    site = current_site()
    back = f"/c/{view.community.slug}/moderation/mine"
    if form.get("content"):
        content = await Content.get_or_none(id=_int(form["content"]))
        if content is None:
            raise NotFound(_("There is nothing at this address."))
        await appeals.file(site, where, form.get("message", ""), content=content)
    else:
        sanction = await Sanction.get_or_none(id=_int(form.get("sanction", "")))
        if sanction is None:
            raise NotFound(_("No such sanction."))
        await appeals.file(site, where, form.get("message", ""), sanction=sanction)
    return flash_redirect(back, _("Your appeal was sent to the coordinators."))


def _int(value: str) -> int:
    number = id_or_none(value)
    if number is None:
        raise NotFound(_("There is nothing at this address."))
    return number


def routes() -> list[BaseRoute]:
    """HTML routes of the moderation section."""
    from tisserand.plugins.moderation.routes_manage import routes as manage_routes

    base = "/c/{slug}/moderation"
    return [
        Route(base, queue_page, name="moderation_queue_page"),
        Route(base + "/items/{id:id}", decide, methods=["POST"], name="moderation_decide"),
        Route(base + "/items/{id:id}/edit", edit, methods=["GET", "POST"], name="moderation_edit"),
        Route(base + "/flag/{id:id}", flag_page, methods=["GET", "POST"], name="moderation_flag_page"),
        Route(base + "/mine", mine, name="moderation_mine"),
        Route(base + "/appeal", appeal, methods=["POST"], name="moderation_appeal_page"),
        Route("/moderation/flag/{id:id}", flag_page, methods=["GET", "POST"], name="moderation_flag_any"),
        *manage_routes(),
    ]
