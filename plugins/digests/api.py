"""The JSON API of the digests plugin (paths relative to ``/api/v1``)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from tisserand.errors import NotFound, ValidationFailed
from tisserand.i18n import _
from tisserand.jobs import defer
from tisserand.plugins.digests import calls, inbox, preferences, preview, unsubscribe
from tisserand.plugins.digests.settings import PERIODS
from tisserand.site import current_site
from tisserand.web.answers import Out
from tisserand.web.api import APIResponse, answer, documented, listing, read_json, require_viewer
from tisserand.web.community import load_community
from tisserand.web.params import Id, id_or_none


class MarkRead(BaseModel):
    """Notifications to mark read: the given ids, or all of them when ``ids`` is missing."""

    model_config = ConfigDict(extra="forbid")
    ids: list[Id] | None = Field(default=None, max_length=500)


class DigestChoices(BaseModel):
    """A new global frequency and/or per-community ones (``null`` follows the global one)."""

    model_config = ConfigDict(extra="forbid")
    frequency: str | None = None
    communities: dict[str, str | None] | None = None


class NewCall(BaseModel):
    """A call to all: a subject and a Markdown message."""

    model_config = ConfigDict(extra="forbid")
    subject: str = Field(max_length=200)
    body: str = Field(max_length=20_000)


class NotificationOut(Out):
    """A notification, in the reader's language."""

    id: int
    kind: str
    title: str
    text: str
    url: str | None
    actor: dict[str, str] | None
    community: dict[str, str] | None
    content_id: int | None
    read: bool
    read_at: datetime | None
    created_at: datetime


class UnreadOut(Out):
    """How many notifications are unread."""

    unread: int


class MarkedOut(Out):
    """How many were marked read, and how many stay unread."""

    marked: int
    unread: int


class DigestSettingsOut(Out):
    """My digest settings: the global frequency and one per community."""

    frequency: str
    chosen: bool
    site_default: str
    email_paused: bool
    email_paused_at: datetime | None
    communities: list[dict[str, Any]]
    updated_at: datetime | None


class DigestPreviewOut(Out):
    """What my next digest holds so far."""

    period: str
    since: datetime
    until: datetime
    subscribed: bool
    empty: bool
    items: int
    subject: str
    html: str
    text: str


class CallOut(Out):
    """A call to all (``recipients``, ``emailed`` and ``dispatched_at`` in lists)."""

    id: int
    content_id: int
    subject: str
    status: str
    html: str | None = None
    url: str | None = None
    author: str | None = None
    recipients: int | None = None
    emailed: int | None = None
    created_at: datetime | None = None
    dispatched_at: datetime | None = None


class UnsubscribedOut(Out):
    """Every digest is off."""

    unsubscribed: bool


def _cursor_id(request: Request) -> int | None:
    raw = request.query_params.get("cursor")
    if not raw:
        return None
    value = id_or_none(raw)
    if value is None:
        raise ValidationFailed(_("This page link is broken: start again from the first page."),
                               fields={"cursor": "invalid"})
    return value


def _limit(request: Request) -> int:
    raw = request.query_params.get("limit", "30")
    if not raw.isdigit() or not 1 <= int(raw) <= 100:
        raise ValidationFailed(_("limit must be between {low} and {high}.", low=1, high=100),
                               fields={"limit": "range"})
    return int(raw)


@documented(tags=["notifications"], listing=True, answer=NotificationOut,
            query={"cursor": "the previous page's next", "limit": "1 to 100", "unread": "1 for unread only"})
async def list_notifications(request: Request) -> Response:
    """My notifications, newest first (``?unread=true`` for unread ones; ``?cursor=`` pages on)."""
    member = require_viewer(request)
    unread_only = request.query_params.get("unread", "").lower() in ("1", "true", "yes")
    items, following = await inbox.page(member, before=_cursor_id(request), unread_only=unread_only,
                                        limit=_limit(request))
    return listing(items, str(following) if following else None)


@documented(tags=["notifications"], answer=UnreadOut)
async def unread_count(request: Request) -> Response:
    """How many of my notifications are unread."""
    member = require_viewer(request)
    return answer({"unread": await inbox.unread_count(member)})


@documented(tags=["notifications"], answer=MarkedOut)
async def mark_all_read(request: Request) -> Response:
    """Mark my notifications read: ``{"ids": [...]}``, or all of them with ``{}``."""
    member = require_viewer(request)
    body = await read_json(request, MarkRead)
    marked = await inbox.mark_read(member, body.ids)
    return answer({"marked": marked, "unread": await inbox.unread_count(member)})


@documented(tags=["notifications"], answer=NotificationOut)
async def mark_one_read(request: Request) -> Response:
    """Mark one of my notifications read."""
    member = require_viewer(request)
    notification_id = request.path_params["id"]
    if await inbox.get(member, notification_id) is None:
        raise NotFound(_("No such notification."))
    await inbox.mark_read(member, [notification_id])
    return answer(await inbox.get(member, notification_id))


@documented(tags=["digests"], answer=DigestSettingsOut)
async def get_digest(request: Request) -> Response:
    """My digest settings: global frequency, per-community choices, e-mail state."""
    member = require_viewer(request)
    site = current_site()
    return answer(await preferences.settings_payload(site, member))


@documented(tags=["digests"], answer=DigestSettingsOut)
async def put_digest(request: Request) -> Response:
    """Change my digest frequency (``never``, ``daily``, ``weekly``, ``monthly``), globally
    and/or per community (``{"communities": {"slug": "daily"}}``; ``null`` follows the global)."""
    member = require_viewer(request)
    site = current_site()
    body = await read_json(request, DigestChoices)
    if body.frequency is None and body.communities is None:
        raise ValidationFailed(_("Give a frequency, or choices per community."),
                               fields={"frequency": _("This field is required.")})
    await preferences.save_choices(site, member, frequency=body.frequency, communities=body.communities)
    return answer(await preferences.settings_payload(site, member))


@documented(tags=["digests"], answer=DigestSettingsOut)
async def resume_email(request: Request) -> Response:
    """Start e-mails again after bounces paused them."""
    member = require_viewer(request)
    await preferences.resume_email(member)
    return answer(await preferences.settings_payload(current_site(), member))


@documented(tags=["digests"], answer=DigestPreviewOut, query={"period": "daily, weekly or monthly"})
async def digest_preview(request: Request) -> Response:
    """What my next digest holds so far (``?period=daily|weekly|monthly``): subject, HTML, text."""
    member = require_viewer(request)
    site = current_site()
    period = request.query_params.get("period") or None
    if period is not None and period not in PERIODS:
        raise ValidationFailed(_("Choose daily, weekly or monthly."), fields={"period": "invalid"})
    result = await preview.preview(site, member, period)
    return answer({key: value for key, value in result.items() if key != "digest"})


@documented(tags=["digests"], listing=True, answer=CallOut)
async def list_calls(request: Request) -> Response:
    """The community's calls to all, newest first."""
    view = await load_community(request, plugin="digests")
    rows = await calls.recent_calls(view.community, limit=50)
    items = [{"id": r["id"], "content_id": r["content_id"], "subject": r["title"], "html": r["html"], "status": r["status"],
              "author": r["author_username"], "recipients": r["recipients"], "emailed": r["emailed"],
              "created_at": r["created_at"], "dispatched_at": r["dispatched_at"]}
             for r in rows if r["status"] == "published" or view.is_staff]
    return listing(items, None)


@documented(tags=["digests"], status=201, answer=CallOut)
async def post_call(request: Request) -> Response:
    """Send a call to all members of the community, in-app and by e-mail (coordinators and
    animators; one a day per community)."""
    view = await load_community(request, plugin="digests")
    view.require("digests.call")
    body = await read_json(request, NewCall)
    site = current_site()
    call = await calls.create_call(site, view.community, view.viewer, body.subject, body.body)  # type: ignore[arg-type]
    status = str(call.content.status)
    if status == "published":
        await defer(site, "digests.dispatch_call", call_id=call.id, queueing_lock=f"call:{call.id}")
    return APIResponse({"id": call.id, "content_id": call.content.id, "subject": call.content.title,
                        "status": status, "url": f"/c/{view.community.slug}/calls/{call.content.id}"},
                       status_code=201)


@documented(tags=["digests"], status={"GET": 303, "POST": 200}, answer={"POST": UnsubscribedOut})
async def one_click_unsubscribe(request: Request) -> Response:
    """One-click unsubscribe from every digest (RFC 8058), with the signed token of an e-mail;
    no log-in needed. A GET opens the confirmation page instead."""
    token = request.path_params["token"]
    if request.method == "GET":
        return RedirectResponse(f"/digests/unsubscribe/{token}", status_code=303)
    member_id = await unsubscribe.use_token(current_site(), token)
    if member_id is None:
        raise NotFound(_("This unsubscribe link is not valid any more: it was used already or has expired."))
    return answer({"unsubscribed": True})


def api_routes() -> list[BaseRoute]:
    """Routes mounted under ``/api/v1``."""
    return [
        Route("/me/notifications", list_notifications, methods=["GET"], name="digests-notifications"),
        Route("/me/notifications/unread", unread_count, methods=["GET"], name="digests-unread"),
        Route("/me/notifications/read", mark_all_read, methods=["POST"], name="digests-read-all"),
        Route("/me/notifications/{id:id}/read", mark_one_read, methods=["POST"], name="digests-read"),
        Route("/me/digest", get_digest, methods=["GET"], name="digests-settings"),
        Route("/me/digest", put_digest, methods=["PUT"], name="digests-settings-put"),
        Route("/me/digest/resume", resume_email, methods=["POST"], name="digests-resume"),
        Route("/me/digest/preview", digest_preview, methods=["GET"], name="digests-preview"),
        Route("/communities/{slug}/calls", list_calls, methods=["GET"], name="digests-calls"),
        Route("/communities/{slug}/calls", post_call, methods=["POST"], name="digests-call-new"),
        Route("/digests/unsubscribe/{token}", one_click_unsubscribe, methods=["GET", "POST"],
              name="digests-unsubscribe"),
    ]
