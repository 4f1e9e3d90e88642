"""HTML pages: notifications, digest settings and preview, calls to all, unsubscribe."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from tisserand.errors import NotFound, TisserandError, ValidationFailed, hidden_unless_allowed, nothing_here
from tisserand.i18n import _, use_locale
from tisserand.jobs import defer
from tisserand.plugins.digests import calls, inbox, preferences, preview, unsubscribe
from tisserand.plugins.digests.models import Call
from tisserand.plugins.digests.preferences import frequency_label
from tisserand.plugins.digests.settings import FREQUENCIES, PERIODS
from tisserand.site import current_site
from tisserand.web.api import require_viewer
from tisserand.web.community import load_community, render_community
from tisserand.web.forms import read_form
from tisserand.web.params import id_or_none
from tisserand.web.templates import render_page


def redirect(url: str, message: str = "") -> Response:
    """303 after a POST, with a one-shot message when the core offers them."""
    try:
        from tisserand.web.flash import flash_redirect
    except ImportError:  # pragma: no cover - older cores
        return RedirectResponse(url, status_code=303)
    return flash_redirect(url, message)


def _safe_next(value: str | None, default: str) -> str:
    """Only local paths (no ``//host``) are followed after a form."""
    if value and value.startswith("/") and not value.startswith("//"):
        return value
    return default


async def _render(request: Request, name: str, context: dict[str, Any], status_code: int = 200) -> Response:
    return await render_page(request, name, context, status_code=status_code)


def _wants_json(request: Request) -> bool:
    return "application/json" in request.headers.get("accept", "")


# --- notifications --------------------------------------------------------------------------


async def notifications_page(request: Request) -> Response:
    """My notifications, newest first, 30 per page."""
    member = require_viewer(request)
    before = request.query_params.get("before", "")
    unread_only = request.query_params.get("unread") == "1"
    items, following = await inbox.page(member, before=id_or_none(before),
                                        unread_only=unread_only)
    unread = await inbox.unread_count(member)
    return await _render(request, "digests/notifications.html", {
        "items": items, "next_before": following, "unread_only": unread_only, "unread": unread,
        "page_is_first": not before,
    })


async def open_notification(request: Request) -> Response:
    """Follow a notification: mark it read and go to what it is about."""
    member = require_viewer(request)
    item = await inbox.get(member, request.path_params["id"])
    if item is None:
        raise NotFound(_("No such notification."))
    await inbox.mark_read(member, [item["id"]])
    return RedirectResponse(_safe_next(item["url"], "/me/notifications"), status_code=303)


async def read_one(request: Request) -> Response:
    """Mark one notification read (a form button, or fetch() from the page's script)."""
    member = require_viewer(request)
    form = await read_form(request)
    item = await inbox.get(member, request.path_params["id"])
    if item is None:
        raise NotFound(_("No such notification."))
    await inbox.mark_read(member, [item["id"]])
    if _wants_json(request):
        return JSONResponse({"unread": await inbox.unread_count(member)})
    return redirect(_safe_next(form.get("next"), "/me/notifications"))


async def read_all(request: Request) -> Response:
    """Mark all my notifications read."""
    member = require_viewer(request)
    form = await read_form(request)
    marked = await inbox.mark_read(member)
    if _wants_json(request):
        return JSONResponse({"unread": 0, "marked": marked})
    return redirect(_safe_next(form.get("next"), "/me/notifications"),
                    _("All your notifications are marked as read."))


# --- digest settings --------------------------------------------------------------------------


async def digest_settings_page(request: Request) -> Response:
    """My e-mail digest settings: how often, globally and per community."""
    member = require_viewer(request)
    site = current_site()
    errors: dict[str, str] = {}
    if request.method == "POST":
        form = await read_form(request)
        if "resume" in form:
            await preferences.resume_email(member)
            return redirect("/me/digest", _("E-mails will be sent to you again."))
        choices = await preferences.community_choices(site, member)
        communities = {c["slug"]: (form.get(f"community-{c['slug']}") or None) for c in choices}
        try:
            await preferences.save_choices(site, member, frequency=form.get("frequency", ""),
                                           communities=communities)
        except ValidationFailed as exc:
            errors = exc.fields
        else:
            return redirect("/me/digest", _("Your digest settings are saved."))
    payload = await preferences.settings_payload(site, member)
    return await _render(request, "digests/settings.html", {
        "settings": payload, "frequencies": [(f, frequency_label(f)) for f in FREQUENCIES],
        "frequency_label": frequency_label, "errors": errors,
    }, status_code=422 if errors else 200)


async def digest_preview_page(request: Request) -> Response:
    """My next digest, as it would be sent now."""
    member = require_viewer(request)
    period = request.query_params.get("period") or None
    if period is not None and period not in PERIODS:
        raise ValidationFailed(_("Choose daily, weekly or monthly."), fields={"period": "invalid"})
    result = await preview.preview(current_site(), member, period)
    return await _render(request, "digests/preview.html", {
        "preview": result, "periods": [(p, frequency_label(p)) for p in PERIODS]})


# --- calls to all ----------------------------------------------------------------------------


async def calls_page(request: Request) -> Response:
    """A community's calls to all; coordinators and animators write a new one here."""
    view = await load_community(request, plugin="digests")
    site = current_site()
    errors: dict[str, str] = {}
    values = {"subject": "", "body": ""}
    if request.method == "POST":
        view.require("digests.call")
        form = await read_form(request)
        values = {"subject": form.get("subject", ""), "body": form.get("body", "")}
        try:
            call = await calls.create_call(site, view.community, view.viewer, values["subject"],  # type: ignore[arg-type]
                                           values["body"])
        except ValidationFailed as exc:
            errors = exc.fields
        except TisserandError as exc:
            errors = {"form": exc.message}
        else:
            url = f"/c/{view.community.slug}/calls/{call.content.id}"
            if str(call.content.status) != "published":
                return redirect(url, _("Your call is waiting for a moderator's review: it will be sent "
                                       "once approved."))
            await defer(site, "digests.dispatch_call", call_id=call.id, queueing_lock=f"call:{call.id}")
            return redirect(url, _("Your call to all is on its way to every member."))
    rows = await calls.recent_calls(view.community)
    rows = [r for r in rows if r["status"] == "published" or view.is_staff]
    may_call = view.can("digests.call")
    return await render_community(request, view, "digests/calls.html", {
        "calls": rows, "may_call": may_call,
        "sent_today": may_call and await calls.sent_today(site, view.community),
        "errors": errors, "values": values,
    }, tab="digests", status_code=422 if errors else 200)


async def call_page(request: Request) -> Response:
    """One call to all."""
    view = await load_community(request, plugin="digests")
    call = await Call.get_or_none(content_id=request.path_params["id"], community_id=view.community.id) \
        .select_related("content", "author")
    if call is None or (str(call.content.status) != "published" and not view.is_staff
                        and call.author_id != getattr(view.viewer, "id", None)):
        raise nothing_here()
    return await render_community(request, view, "digests/call.html", {"call": call}, tab="digests")


# --- unsubscribe ---------------------------------------------------------------------------


async def call_redirect(request: Request) -> Response:
    """``/digests/calls/{id}``: the address of a call when its community is not known."""
    call = await Call.get_or_none(content_id=request.path_params["id"]).select_related("community", "content")
    if call is None:
        raise nothing_here()
    with hidden_unless_allowed():  # never tell where a call lives to someone who may not read it
        view = await load_community(request, slug=call.community.slug, plugin="digests")
    if str(call.content.status) != "published" and not view.is_staff \
            and call.author_id != getattr(view.viewer, "id", None):
        raise nothing_here()
    return RedirectResponse(f"/c/{call.community.slug}/calls/{call.content_id}", status_code=301)


async def unsubscribe_page(request: Request) -> Response:
    """The link of every digest: one button to stop them, no log-in needed."""
    site = current_site()
    token = request.path_params["token"]
    # The page speaks the member's language (the one of the e-mail), not the browser's.
    language = await unsubscribe.token_language(site, token)
    with use_locale(language):
        if request.method == "POST":
            member_id = await unsubscribe.use_token(site, token)
            if member_id is not None:
                return await _render(request, "digests/unsubscribe.html", {"state": "done"})
        elif await unsubscribe.check_token(site, token) is not None:
            return await _render(request, "digests/unsubscribe.html", {"state": "confirm", "token": token})
        return await _render(request, "digests/unsubscribe.html", {"state": "invalid"}, status_code=410)


def page_routes() -> list[BaseRoute]:
    """The plugin's pages."""
    return [
        Route("/me/notifications", notifications_page, methods=["GET"], name="digests-inbox"),
        Route("/me/notifications/read-all", read_all, methods=["POST"], name="digests-inbox-read-all"),
        Route("/me/notifications/{id:id}", open_notification, methods=["GET"], name="digests-inbox-open"),
        Route("/me/notifications/{id:id}/read", read_one, methods=["POST"], name="digests-inbox-read"),
        Route("/me/digest", digest_settings_page, methods=["GET", "POST"], name="digests-settings-page"),
        Route("/me/digest/preview", digest_preview_page, methods=["GET"], name="digests-preview-page"),
        Route("/c/{slug}/calls", calls_page, methods=["GET", "POST"], name="digests-calls-page"),
        Route("/c/{slug}/calls/{id:id}", call_page, methods=["GET"], name="digests-call-page"),
        Route("/digests/calls/{id:id}", call_redirect, methods=["GET"], name="digests-call-redirect"),
        Route("/digests/unsubscribe/{token}", unsubscribe_page, methods=["GET", "POST"],
              name="digests-unsubscribe-page"),
    ]
