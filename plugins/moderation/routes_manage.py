"""Management pages: a member's history and the sanction form, the sanctions and appeals of a
community, its watched words and settings, its log; and the site administrators' page (site-wide
watched words, bans)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from starlette.responses import RedirectResponse
from starlette.routing import BaseRoute, Route

from tisserand.auth import member_by_username
from tisserand.errors import Forbidden, NotFound, TisserandError, Unauthorized, ValidationFailed
from tisserand.i18n import _
from tisserand.localtime import fold_choice, wall_to_utc
from tisserand.models import Content, Member, Membership
from tisserand.plugins.moderation import appeals, clock, sanctions, text, words
from tisserand.plugins.moderation.access import Place
from tisserand.plugins.moderation.log import action_label, entries
from tisserand.plugins.moderation.models import Appeal, Flag, Sanction
from tisserand.plugins.moderation.routes import moderation_place, render
from tisserand.plugins.moderation.settings_service import FIELDS, effective, trust_of, update
from tisserand.site import current_site
from tisserand.web.api import decode_cursor, encode_cursor
from tisserand.web.flash import flash_redirect
from tisserand.web.forms import read_form
from tisserand.web.params import id_or_none
from tisserand.web.templates import render_page

if TYPE_CHECKING:
    from starlette.requests import Request
    from starlette.responses import Response

DURATIONS = (("1h", timedelta(hours=1)), ("24h", timedelta(hours=24)), ("3d", timedelta(days=3)),
             ("7d", timedelta(days=7)), ("30d", timedelta(days=30)))


def duration_choices(kind_ban: bool = False) -> list[tuple[str, str]]:
    """The ends offered by the sanction forms."""
    choices = [("1h", _("1 hour")), ("24h", _("24 hours")), ("3d", _("3 days")), ("7d", _("7 days")),
               ("30d", _("30 days")), ("custom", _("Until a date…"))]
    if kind_ban:
        choices.append(("forever", _("Until lifted")))
    return choices


def parse_until(form: dict[str, str], member: Member | None) -> datetime | None:
    """The end chosen in a sanction form (None: the default for the kind, or no end)."""
    choice = form.get("duration", "24h")
    for code, delta in DURATIONS:
        if choice == code:
            return clock.now() + delta
    if choice == "custom":
        raw = form.get("until", "").strip()
        try:
            local = datetime.fromisoformat(raw)
        except ValueError:
            raise ValidationFailed(_("Give the end as a date and time."),
                                   fields={"until": _("Give the end as a date and time.")}) from None
        if local.tzinfo is not None:
            return local
        return wall_to_utc(local, ZoneInfo(text.zone(member)), "until", fold_choice(form.get("until_fold")))
    return None


async def member_page(request: Request) -> Response:
    """A member's history in the community, and the form to sanction them."""
    view, where = await moderation_place(request)
    where.require("moderation.sanction")
    target = await member_by_username(request.path_params["username"].lower())
    if target is None:
        raise NotFound(_("No member has this username."))
    errors: dict[str, str] = {}
    message = ""
    values = {"kind": request.query_params.get("kind", "warning"), "duration": "24h", "reason": "", "until": ""}
    if request.method == "POST":
        form = await read_form(request)
        values.update({k: form.get(k, "") for k in values})
        content = None
        if form.get("content"):
            content = await Content.get_or_none(id=id_or_none(form["content"]) or 0,
                                                community_id=view.community.id)
        try:
            until = parse_until(form, where.viewer)
            await sanctions.give(current_site(), where, target, values["kind"], values["reason"], until,
                                 content=content)
            return flash_redirect(f"/c/{view.community.slug}/moderation/members/{target.username}",
                                  _("{kind} recorded. {name} was told why.", kind=sanctions.kind_label(values["kind"]),
                                    name=target.name))
        except TisserandError as exc:
            errors, message = exc.fields, exc.message
    membership = await Membership.get_or_none(member_id=target.id, community_id=view.community.id)
    history = await Sanction.filter(member_id=target.id).filter(community_id=view.community.id).order_by("-id").limit(30)
    bans = await Sanction.filter(member_id=target.id, kind="ban").order_by("-id").limit(10)
    removed = await Content.filter(author_id=target.id, community_id=view.community.id,
                                   status__in=["hidden", "deleted", "pending"]).order_by("-id").limit(20)
    upheld = await Flag.filter(content__author_id=target.id, state="upheld").count()
    published = await Content.filter(author_id=target.id, community_id=view.community.id, status="published").count()
    kinds = [("warning", sanctions.kind_label("warning")), ("silence", sanctions.kind_label("silence")),
             ("suspend", sanctions.kind_label("suspend"))]
    if where.viewer is not None and where.viewer.is_admin:
        kinds.append(("ban", sanctions.kind_label("ban")))
    return await render(request, view, where, "moderation/member.html", {
        "target": target, "membership": membership, "history": [*history, *[b for b in bans if b not in history]],
        "removed": removed, "upheld": upheld, "published": published, "trust": await trust_of(current_site(), target),
        "kinds": kinds, "durations": duration_choices(where.viewer is not None and where.viewer.is_admin),
        "values": values, "errors": errors, "message": message, "in_force": sanctions.in_force,
        "kind_label": sanctions.kind_label, "from_content": request.query_params.get("content", ""),
    }, "sanctions", status_code=422 if message else 200)


async def sanctions_page(request: Request) -> Response:
    """Sanctions given in this community: in force first, then the latest."""
    view, where = await moderation_place(request)
    where.require("moderation.sanction")
    wanted = request.query_params.get("username", "").strip().lower()
    if wanted:  # the "open a member" form, without JavaScript
        from urllib.parse import quote

        return RedirectResponse(f"/c/{view.community.slug}/moderation/members/{quote(wanted)}", status_code=303)
    rows = await Sanction.filter(community_id=view.community.id).select_related("member", "created_by") \
        .order_by("-id").limit(100)
    now = clock.now()
    running = [r for r in rows if sanctions.in_force(r, now)]
    past = [r for r in rows if not sanctions.in_force(r, now)]
    return await render(request, view, where, "moderation/sanctions.html", {
        "running": running, "past": past, "kind_label": sanctions.kind_label}, "sanctions")


async def lift_page(request: Request) -> Response:
    """End a sanction now."""
    view, where = await moderation_place(request)
    row = await Sanction.get_or_none(id=int(request.path_params["id"]), community_id=view.community.id)
    if row is None:
        raise NotFound(_("No such sanction."))
    if row.kind == "ban":
        if not (where.viewer and where.viewer.is_admin):
            raise Forbidden(_("Only site administrators can lift a ban."))
    else:
        where.require("moderation.sanction")
    form = await read_form(request)
    await sanctions.lift(current_site(), row, where.viewer, form.get("reason", ""))
    return flash_redirect(form.get("next", "") if form.get("next", "").startswith("/c/")
                          else f"/c/{view.community.slug}/moderation/sanctions", _("The sanction is lifted."))


async def appeals_page(request: Request) -> Response:
    """Appeals waiting for an answer, then the answered ones."""
    view, where = await moderation_place(request)
    where.require("moderation.appeals.answer")
    rows = await Appeal.filter(community_id=view.community.id).select_related("member", "content", "sanction") \
        .order_by("-id").limit(100)
    return await render(request, view, where, "moderation/appeals.html", {
        "open": [r for r in rows if r.state == "open"], "answered": [r for r in rows if r.state != "open"],
        "kind_label": sanctions.kind_label}, "appeals")


async def answer_page(request: Request) -> Response:
    """Accept or refuse an appeal."""
    view, where = await moderation_place(request)
    row = await Appeal.get_or_none(id=int(request.path_params["id"]), community_id=view.community.id)
    if row is None:
        raise NotFound(_("No such appeal."))
    form = await read_form(request)
    accept = form.get("decision") == "accept"
    await appeals.answer(current_site(), where, row, accept, form.get("answer", ""))
    return flash_redirect(f"/c/{view.community.slug}/moderation/appeals",
                          _("Appeal accepted.") if accept else _("Appeal refused."))


async def words_page(request: Request) -> Response:
    """The community's watched words and domains, what it inherits, and its settings."""
    view, where = await moderation_place(request)
    where.require("moderation.queue.view")
    errors: dict[str, str] = {}
    message = ""
    values = {"pattern": "", "kind": "word", "action": "hold", "replacement": ""}
    if request.method == "POST":
        where.require("moderation.words.edit")
        form = await read_form(request)
        values.update({k: form.get(k, v) for k, v in values.items()})
        try:
            await words.save(view.community, where.viewer, values["kind"], values["pattern"], values["action"],
                             values["replacement"])
            return flash_redirect(f"/c/{view.community.slug}/moderation/words", _("Saved."))
        except TisserandError as exc:
            errors, message = exc.fields, exc.message
    return await _words(request, view, where, values, errors, message)


async def _words(request: Request, view: Any, where: Place, values: dict[str, str], errors: dict[str, str],
                 message: str, settings_errors: dict[str, str] | None = None) -> Response:
    listed = await words.listing(view.community)
    return await render(request, view, where, "moderation/words.html", {
        "own": [w for w in listed if w.scope == "community"], "inherited": [w for w in listed if w.scope != "community"],
        "values": values, "errors": errors, "message": message, "can_edit": where.can("moderation.words.edit"),
        "settings": await effective(current_site(), view.community), "settings_errors": settings_errors or {},
    }, "words", status_code=422 if message or settings_errors else 200)


async def word_delete(request: Request) -> Response:
    """Remove one of the community's entries."""
    view, where = await moderation_place(request)
    where.require("moderation.words.edit")
    await words.remove(view.community, where.viewer, int(request.path_params["id"]))
    return flash_redirect(f"/c/{view.community.slug}/moderation/words", _("Removed."))


async def settings_page(request: Request) -> Response:
    """Save the community's thresholds and limits (empty fields follow the site)."""
    view, where = await moderation_place(request)
    where.require("moderation.words.edit")
    form = await read_form(request)
    changes: dict[str, Any] = {}
    bad: dict[str, str] = {}
    for name in FIELDS:
        raw = form.get(name, "").strip().replace(",", ".")
        try:
            changes[name] = None if raw == "" else (float(raw) if name in ("flag_threshold", "hold_score") else int(raw))
        except ValueError:
            bad[name] = _("A number, or empty to follow the site.")
    if not bad:
        try:
            await update(view.community, where.viewer, changes)
            return flash_redirect(f"/c/{view.community.slug}/moderation/words", _("Settings saved."))
        except ValueError:
            bad = {"form": _("Some values are out of range.")}
    values = {"pattern": "", "kind": "word", "action": "hold", "replacement": ""}
    return await _words(request, view, where, values, {}, "", bad)


async def log_page(request: Request) -> Response:
    """Who did what, when and why (coordinators)."""
    view, where = await moderation_place(request)
    where.require("community.audit.view")
    cursor = decode_cursor(request.query_params.get("cursor"), int)
    everything = request.query_params.get("all") == "1"
    rows, next_id = await entries(view.community, before=int(cursor[0]) if cursor else None, everything=everything)
    return await render(request, view, where, "moderation/log.html", {
        "rows": rows, "next": encode_cursor(next_id) if next_id else None, "everything": everything,
        "action_label": action_label}, "log")


# --- Site administrators ----------------------------------------------------------------------


def _admin(request: Request) -> Member:
    viewer = getattr(request.state, "viewer", None)
    if viewer is None:
        raise Unauthorized(_("Log in to do this."))
    if not viewer.is_admin:
        raise Forbidden(_("This page is for site administrators."))
    return viewer


async def site_page(request: Request) -> Response:
    """Site-wide watched words (over the shipped defaults) and bans."""
    admin = _admin(request)
    errors: dict[str, str] = {}
    message = ""
    values = {"pattern": "", "kind": "word", "action": "hold", "replacement": ""}
    ban = {"username": "", "duration": "forever", "until": "", "reason": ""}
    ban_errors: dict[str, str] = {}
    ban_message = ""
    if request.method == "POST":
        form = await read_form(request)
        try:
            if form.get("form") == "ban":
                ban.update({k: form.get(k, "") for k in ban})
                await _ban(admin, form)
                return flash_redirect("/moderation", _("The member is banned: their sessions have ended."))
            values.update({k: form.get(k, v) for k, v in values.items()})
            await words.save(None, admin, values["kind"], values["pattern"], values["action"], values["replacement"])
            return flash_redirect("/moderation", _("Saved."))
        except TisserandError as exc:
            if form.get("form") == "ban":
                ban_errors, ban_message = exc.fields, exc.message
            else:
                errors, message = exc.fields, exc.message
    listed = await words.listing(None)
    bans = await Sanction.filter(kind="ban").select_related("member", "community").order_by("-id").limit(100)
    return await render_page(request, "moderation/site.html", {
        "site_words": [w for w in listed if w.scope == "site"], "defaults": [w for w in listed if w.scope == "default"],
        "values": values, "errors": errors, "message": message, "bans": bans, "ban": ban, "ban_errors": ban_errors,
        "ban_message": ban_message, "durations": duration_choices(True), "in_force": sanctions.in_force,
    }, status_code=422 if message or ban_message else 200)


async def _ban(admin: Member, form: dict[str, str]) -> None:
    target = await member_by_username(form.get("username", "").strip().lower())
    if target is None:
        raise ValidationFailed(_("No member has this username."), fields={"username": _("No member has this username.")})
    await sanctions.ban(current_site(), admin, target, form.get("reason", ""), parse_until(form, admin))


async def site_word_delete(request: Request) -> Response:
    """Remove a site-wide entry (a default it changed applies again)."""
    admin = _admin(request)
    await words.remove(None, admin, int(request.path_params["id"]))
    return flash_redirect("/moderation", _("Removed."))


async def site_lift(request: Request) -> Response:
    """Lift a ban."""
    admin = _admin(request)
    row = await Sanction.get_or_none(id=int(request.path_params["id"]), kind="ban")
    if row is None:
        raise NotFound(_("No such sanction."))
    form = await read_form(request)
    await sanctions.lift(current_site(), row, admin, form.get("reason", ""))
    return flash_redirect("/moderation", _("The ban is lifted."))


def routes() -> list[BaseRoute]:
    """HTML routes of the management pages."""
    base = "/c/{slug}/moderation"
    return [
        Route(base + "/members/{username}", member_page, methods=["GET", "POST"], name="moderation_member"),
        Route(base + "/sanctions", sanctions_page, name="moderation_sanctions_page"),
        Route(base + "/sanctions/{id:id}/lift", lift_page, methods=["POST"], name="moderation_lift_page"),
        Route(base + "/appeals", appeals_page, name="moderation_appeals_page"),
        Route(base + "/appeals/{id:id}", answer_page, methods=["POST"], name="moderation_answer_page"),
        Route(base + "/words", words_page, methods=["GET", "POST"], name="moderation_words_page"),
        Route(base + "/words/{id:id}/delete", word_delete, methods=["POST"], name="moderation_word_delete"),
        Route(base + "/settings", settings_page, methods=["POST"], name="moderation_settings_page"),
        Route(base + "/log", log_page, name="moderation_log_page"),
        Route("/moderation", site_page, methods=["GET", "POST"], name="moderation_site"),
        Route("/moderation/words/{id:id}/delete", site_word_delete, methods=["POST"], name="moderation_site_word_delete"),
        Route("/moderation/bans/{id:id}/lift", site_lift, methods=["POST"], name="moderation_site_lift"),
    ]
