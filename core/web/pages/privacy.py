"""Members' rights on the web and in the API: ask for an export of one's data, follow it,
download it (``/me/export``, ``/api/v1/me/export``, ``/me/exports/{id}/{secret}``); close
one's account (``/me/close``, ``DELETE /api/v1/me``)."""

from __future__ import annotations

import hmac
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field
from starlette.background import BackgroundTask
from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.routing import BaseRoute, Route

from tisserand.account_closing import MODES, request_closing
from tisserand.errors import Forbidden, NotFound, ValidationFailed
from tisserand.i18n import _
from tisserand.member_export import (
    EXPORT_DIR,
    build_pending_exports,
    download_path,
    export_secret,
    request_export,
)
from tisserand.models import DataExport, ExportStatus
from tisserand.web.answers import ExportOut
from tisserand.web.api import answer, documented, read_json, require_viewer
from tisserand.web.flash import flash_redirect
from tisserand.web.forms import read_form
from tisserand.web.pages.common import require_login, site_of
from tisserand.web.security import clear_session_cookie

if TYPE_CHECKING:
    from tisserand.models import Member
    from tisserand.site import Site


def _export_id(request: Request) -> int:
    try:
        value = int(request.path_params["export_id"])
    except ValueError:
        raise NotFound(_("No such export.")) from None
    if not 0 < value < 2**31:
        raise NotFound(_("No such export."))
    return value


async def visible_exports(member: Member, limit: int = 20) -> list[DataExport]:
    """The exports ``member`` may follow and download: theirs, and those they made for others."""
    from tortoise.expressions import Q

    return await DataExport.filter(Q(member_id=member.id) | Q(requested_by_id=member.id)).order_by(
        "-id").limit(limit).select_related("member")


async def _visible_export(member: Member, export_id: int) -> DataExport:
    export = await DataExport.get_or_none(id=export_id).select_related("member")
    if export is None or member.id not in (export.member_id, export.requested_by_id):
        raise NotFound(_("No such export."))
    return export


def describe(site: Site, export: DataExport) -> dict[str, Any]:
    """An export as the API shows it (``download_url`` only when ready)."""
    data: dict[str, Any] = {"id": export.id, "status": export.status, "member": export.member.username,
                            "created_at": export.created_at, "ready_at": export.ready_at,
                            "expires_at": export.expires_at, "size": export.size or None}
    if export.status == ExportStatus.READY:
        data["download_url"] = site.settings.site.base_url + download_path(export.id, export_secret(site, export))
    return data


def build_soon(site: Site) -> BackgroundTask:
    """Run the export job right after the answer is sent."""
    # The periodic job builds exports too; this only spares a wait on a quiet site.
    return BackgroundTask(build_pending_exports, site)


@documented(status=202, tags=["accounts"], answer=ExportOut)
async def api_request_export(request: Request) -> Response:
    """Ask for an export of my data: a zip built in the background, announced when ready."""
    member = require_viewer(request)
    site = site_of(request)
    export = await request_export(site, member)
    return answer({"id": export.id, "status": export.status}, status_code=202, background=build_soon(site))


@documented(tags=["accounts"], answer=ExportOut)
async def api_export_status(request: Request) -> Response:
    """The state of one of my exports, with ``download_url`` when it is ready."""
    member = require_viewer(request)
    export = await _visible_export(member, _export_id(request))
    return answer(describe(site_of(request), export))


async def page_request_export(request: Request) -> Response:
    """The account page's "export my data" button."""
    member = require_login(request)
    site = site_of(request)
    await request_export(site, member)
    response = flash_redirect("/me#privacy", _("Your export is being prepared: you will get a notification "
                                               "and an e-mail with the link when it is ready."))
    response.background = build_soon(site)
    return response


async def download(request: Request) -> Response:
    """Download a ready export (the member or the administrator who asked, with the link's secret)."""
    member = require_login(request)
    site = site_of(request)
    export = await _visible_export(member, _export_id(request))
    secret = export_secret(site, export)
    if export.status != ExportStatus.READY or not secret or not hmac.compare_digest(
            secret, str(request.path_params["secret"])):
        raise NotFound(_("This link has expired or is not valid: ask for a new export from your account page."))
    path = site.settings.path(EXPORT_DIR) / export.file_name
    if not path.exists():
        raise NotFound(_("This link has expired or is not valid: ask for a new export from your account page."))
    name = f"{export.member.username}-data-{export.created_at:%Y-%m-%d}.zip"
    return FileResponse(path, media_type="application/zip", filename=name,
                        headers={"Cache-Control": "private, no-store"})


#: How recent an identity-provider sign-in must be to close an account without a password.
FRESH_SSO = timedelta(minutes=10)


class CloseBody(BaseModel):
    """``DELETE /api/v1/me``: the password (accounts that have one) and the choice for content."""

    model_config = ConfigDict(extra="forbid")
    password: str = Field("", max_length=1000)
    content: Literal["delete", "anonymize"]


async def _reauthenticated(request: Request, member: Member, password: str) -> bool:
    """Did the member just prove it is them: their password, or (accounts without one) a
    sign-in at their identity provider in the last minutes?"""
    from tisserand import auth
    from tisserand.models import SsoSession
    from tisserand.web.pages.common import client_ip

    site = site_of(request)
    if member.password_hash:
        return bool(password) and await auth.check_current_password(site, member, password, client_ip(request))
    session = getattr(request.state, "session", None)
    if session is None or datetime.now(UTC) - session.created_at > FRESH_SSO:
        return False
    return await SsoSession.filter(session_id=session.id).exclude(provider="cli").exists()


def _reauth_message(member: Member) -> str:
    if member.password_hash:
        return _("This is not your current password.")
    return _("For your safety, sign out and sign in again with your organization, then close your account "
             "within 10 minutes.")


def _scheduled_message(site: Site) -> str:
    days = site.settings.privacy.closing_grace_days
    if days == 0:
        return _("Your account is closed. Goodbye, and thank you.")
    return _("Your account will be closed in {days} days. Sign in before then to cancel.", days=days)


@documented(body=CloseBody, status=202, tags=["accounts"], answer={"type": "object", "required": ["status", "due_at"], "properties": {
    "status": {"const": "scheduled"}, "content": {"type": "string"}, "due_at": {"type": "string", "format": "date-time"},
    "message": {"type": "string"}}})
async def api_close_account(request: Request) -> Response:
    """Close my account after a grace period (signing in before it ends cancels)."""
    member = require_viewer(request)
    body = await read_json(request, CloseBody)
    if not await _reauthenticated(request, member, body.password):
        raise Forbidden(_reauth_message(member), code="reauthentication_required")
    site = site_of(request)
    closing = await request_closing(site, member, body.content)
    return answer({"status": "scheduled", "content": body.content, "due_at": closing.due_at,
                   "message": _scheduled_message(site)}, status_code=202)


async def page_close_account(request: Request) -> Response:
    """The account page's "close my account" form."""
    member = require_login(request)
    form = await read_form(request)
    mode = form.get("content", "")
    if mode not in MODES:
        raise ValidationFailed(_("Choose what happens to what you wrote."),
                               fields={"content": _("Choose delete or keep anonymously.")})
    if not await _reauthenticated(request, member, form.get("password", "")):
        raise Forbidden(_reauth_message(member), code="reauthentication_required")
    site = site_of(request)
    await request_closing(site, member, mode)
    response = flash_redirect("/login", _scheduled_message(site))
    clear_session_cookie(response)
    return response


def routes() -> list[BaseRoute]:
    """HTML routes."""
    return [
        Route("/me/close", page_close_account, methods=["POST"], name="me-close"),
        Route("/privacy", legal_page, methods=["GET"], name="privacy"),
        Route("/terms", legal_page, methods=["GET"], name="terms"),
        Route("/me/export", page_request_export, methods=["POST"], name="me-export"),
        Route("/me/exports/{export_id}/{secret}", download, methods=["GET"], name="me-export-download"),
    ]


def api_routes() -> list[BaseRoute]:
    """API routes (relative to /api/v1)."""
    return [
        Route("/me/export", api_request_export, methods=["POST"], name="me-export"),
        Route("/me/export/{export_id}", api_export_status, methods=["GET"], name="me-export-status"),
        Route("/me", api_close_account, methods=["DELETE"], name="me-close"),
    ]


async def legal_page(request: Request) -> Response:
    """The privacy policy or the terms of use (a site overrides ``legal/<name>.html``)."""
    from tisserand.legal import current_versions
    from tisserand.web.pages.common import render

    site = site_of(request)
    name = "privacy" if request.url.path == "/privacy" else "terms"
    return await render(request, f"legal/{name}.html", {
        "version": current_versions(site)[name], "privacy": site.settings.privacy,
        "plugins": site.plugins.enabled})
