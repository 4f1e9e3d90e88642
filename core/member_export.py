"""Export of a member's own data (the right of access and portability).

:func:`request_export` records a pending :class:`DataExport`; :func:`build_pending_exports`
(a plain async job, ``core.member_exports``) builds each zip off the event loop, then tells the
member by notification and e-mail. The zip holds ``profile.json``, ``memberships.json``,
``content/*.json`` and ``markdown/`` copies of everything the member wrote, their
notifications, sessions, API tokens (never the secrets), identity-provider links and the audit
lines they caused; then every enabled plugin adds its part through ``member_export(member,
bundle)`` (reactions, RSVPs, named survey answers, flags…). The link expires after
``[privacy] export_days``.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import secrets
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tisserand.i18n import lazy_gettext

if TYPE_CHECKING:
    from tisserand.models import DataExport, Member
    from tisserand.site import Site

__all__ = ["MemberBundle", "build_export", "build_pending_exports", "download_path", "export_secret", "export_url",
           "request_export"]

EXPORT_DIR = "data/exports"


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if hasattr(value, "value"):
        return value.value
    return str(value)


class MemberBundle:
    """The files of one member's export, written by the core and by plugins' ``member_export``.

    Paths are relative (``forums/reactions.json``); a plugin writes under a folder named after
    itself (``current_plugin``)."""

    def __init__(self, member_id: int) -> None:
        self.member_id = member_id
        self.files: dict[str, bytes] = {}
        self.current_plugin: str | None = None

    def _check(self, path: str) -> str:
        if path.startswith("/") or ".." in path.split("/") or not path:
            raise ValueError(f"bad path in an export: {path!r}")
        return path

    def write_text(self, path: str, text: str) -> None:
        """Add a text file (UTF-8)."""
        self.files[self._check(path)] = text.encode("utf-8")

    def write_json(self, path: str, data: Any) -> None:
        """Add a JSON file (dates in ISO 8601)."""
        self.files[self._check(path)] = json.dumps(data, default=_json_default, ensure_ascii=False,
                                                   indent=2).encode("utf-8")

    def write_zip(self, target: Path) -> int:
        """Write every file into the zip ``target``; returns its size in bytes."""
        target.parent.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for path, data in sorted(self.files.items()):
                archive.writestr(path, data)
        return target.stat().st_size


def export_secret(site: Site, export: DataExport) -> str:
    """The secret in an export's download link (empty until the zip exists)."""
    if not export.file_name:
        return ""
    key = site.settings.site.secret_key.encode()
    return hmac.new(key, f"member-export:{export.id}:{export.file_name}".encode(), hashlib.sha256).hexdigest()[:40]


async def request_export(site: Site, member: Member, requested_by: Member | None = None) -> DataExport:
    """Queue an export of ``member``'s data; an administrator's request is audit-logged.

    A pending export is reused rather than queued twice."""
    from tisserand.models import AuditLog, DataExport, ExportStatus

    requested_by = requested_by or member
    existing = await DataExport.filter(member_id=member.id, status=ExportStatus.PENDING).first()
    export = existing or await DataExport.create(member=member, requested_by=requested_by)
    if requested_by.id != member.id:
        await AuditLog.create(actor=requested_by, action="privacy.export_on_behalf", target_kind="member",
                              target_id=member.id, data={"export": export.id})
    return export


def download_path(export_id: int, secret: str) -> str:
    """The path of an export's download (the secret is in it)."""
    return f"/me/exports/{export_id}/{secret}"


def export_url(site: Site, export_id: int, secret: str) -> str:
    """The absolute download address."""
    return site.settings.site.base_url + download_path(export_id, secret)


async def _core_part(member: Member, bundle: MemberBundle) -> None:
    from tisserand.models import (
        ApiToken,
        AuditLog,
        Consent,
        Content,
        IdentityLink,
        Membership,
        Notification,
        Session,
    )
    from tisserand.profile_visibility import choices

    bundle.write_json("profile.json", {
        "username": member.username, "email": member.email, "display_name": member.display_name,
        "locale": member.locale, "timezone": member.timezone, "is_admin": member.is_admin,
        "email_verified_at": member.email_verified_at, "created_at": member.created_at,
        "last_seen_at": member.last_seen_at,
        "location": ({"latitude": member.latitude, "longitude": member.longitude, "city": member.city}
                     if member.latitude is not None or member.city else None),
        "profile_visibility": choices(member.profile_visibility),
        "inactivity_warned_at": member.inactivity_warned_at,
    })
    memberships = await Membership.filter(member_id=member.id).select_related("community")
    bundle.write_json("memberships.json", [
        {"community": m.community.slug, "community_name": m.community.name, "role": m.role,
         "state": m.state, "since": m.created_at} for m in memberships])
    contents = await Content.filter(author_id=member.id).select_related("community").order_by("id")
    rows = []
    for item in contents:
        row = {"id": item.id, "kind": item.kind, "community": item.community.slug, "parent": item.parent_id,
               "title": item.title, "body": item.body, "status": item.status, "meta": item.meta,
               "created_at": item.created_at, "updated_at": item.updated_at, "edited_at": item.edited_at}
        rows.append(row)
        heading = f"# {item.title}\n\n" if item.title else ""
        bundle.write_text(f"markdown/{item.community.slug}/{item.kind}-{item.id}.md", heading + item.body + "\n")
    bundle.write_json("content/content.json", rows)
    notifications = await Notification.filter(member_id=member.id).order_by("id").values(
        "id", "kind", "title", "text", "url", "data", "read_at", "created_at")
    bundle.write_json("notifications.json", notifications)
    sessions = await Session.filter(member_id=member.id).order_by("id").values(
        "id", "user_agent", "ip", "created_at", "last_seen_at", "expires_at")
    bundle.write_json("sessions.json", sessions)
    tokens = await ApiToken.filter(member_id=member.id).order_by("id").values("id", "name", "created_at",
                                                                             "last_used_at")
    bundle.write_json("api_tokens.json", tokens)
    links = await IdentityLink.filter(member_id=member.id).values("provider", "subject", "email", "created_at",
                                                                  "last_login_at")
    bundle.write_json("identity_links.json", links)
    audit = await AuditLog.filter(actor_id=member.id).order_by("id").values("action", "target_kind", "target_id",
                                                                           "reason", "created_at")
    bundle.write_json("actions.json", audit)
    bundle.write_json("consents.json", await Consent.filter(member_id=member.id).order_by("id").values(
        "document", "version", "accepted_at"))


async def build_export(site: Site, export: DataExport) -> str:
    """Build one export now; returns the download secret."""
    from tisserand.models import ExportStatus, Member
    from tisserand.plugin_manager import await_me_maybe

    member = await Member.get(id=export.member_id)
    bundle = MemberBundle(member.id)
    await _core_part(member, bundle)
    for name, result in site.plugins.per_plugin("member_export", member=member, bundle=bundle):
        bundle.current_plugin = name
        await await_me_maybe(result)
    bundle.current_plugin = None
    bundle.write_json("README.json", {"format": "tisserand-member-export", "version": 1,
                                      "site": site.settings.site.name, "created_at": datetime.now(UTC)})
    file_name = f"{export.id}-{secrets.token_hex(8)}.zip"
    size = await asyncio.to_thread(bundle.write_zip, site.settings.path(EXPORT_DIR) / file_name)
    now = datetime.now(UTC)
    export.status = ExportStatus.READY
    export.file_name, export.size = file_name, size
    secret = export_secret(site, export)
    export.ready_at, export.expires_at = now, now + timedelta(days=site.settings.privacy.export_days)
    await export.save()
    await _announce(site, member, export, secret)
    return secret


async def _announce(site: Site, member: Member, export: DataExport, secret: str) -> None:
    from tisserand.i18n import set_locale
    from tisserand.notify import notify

    language = member.locale or site.settings.site.default_locale
    token = set_locale(language)
    try:
        url = export_url(site, export.id, secret)
        # Kept as data: the notification is read in the member's language of the day it is read.
        title = lazy_gettext("Your data export is ready")
        expires = export.expires_at.astimezone(UTC) if export.expires_at else None
        text = (lazy_gettext("Download it before {date} (UTC): {url}", date=expires, url=url) if expires
                else lazy_gettext("Download it: {url}", url=url))
        await notify(member, "privacy.export_ready", title, text=text, url=download_path(export.id, secret),
                     data={"export": export.id}, site=site)
        if export.requested_by_id in (None, member.id):
            await site.mailer.send(site.mailer.message(to=member.email, subject=str(title), text=str(text)))
    finally:
        from tisserand.i18n import _locale

        _locale.reset(token)


async def build_pending_exports(site: Site) -> int:
    """The job: build every pending export and forget expired ones. Returns how many were built."""
    from tisserand.models import DataExport, ExportStatus

    now = datetime.now(UTC)
    for old in await DataExport.filter(status=ExportStatus.READY, expires_at__lt=now):
        (site.settings.path(EXPORT_DIR) / old.file_name).unlink(missing_ok=True)
        old.status = ExportStatus.EXPIRED
        await old.save()
    built = 0
    for export in await DataExport.filter(status=ExportStatus.PENDING).order_by("id"):
        claimed = await DataExport.filter(id=export.id, status=ExportStatus.PENDING).update(
            status=ExportStatus.BUILDING)  # claimed once, even with several workers
        if not claimed:
            continue
        try:
            await build_export(site, export)
            built += 1
        except Exception:
            import logging

            logging.getLogger("tisserand.privacy").exception("export %s failed", export.id)
            await DataExport.filter(id=export.id).update(status=ExportStatus.FAILED)
    return built
