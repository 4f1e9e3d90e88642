"""Bundles built in the background: asked for on the web or the API, built by a worker (the
``archive.build_export`` task), announced to who asked, kept ``export_keep_days`` days.

A big community takes minutes and a lot of disk to export; doing it inside a web request held
a process (and the answer) for that long. Now the request only queues the work. One export per
community waits or runs at a time (asking again gives the one under way). The task is
idempotent: a worker that died mid-build leaves the row ``building`` and the retry builds it
again from scratch into a fresh file (the bundle is written beside its target and renamed at
the end, so nothing half-written is ever served).
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from tisserand.i18n import lazy_gettext
from tisserand.jobs import defer
from tisserand.models import Community, Member
from tisserand.notify import notify
from tisserand.plugins.archive.downloads import bundle_name
from tisserand.plugins.archive.export import export_community
from tisserand.plugins.archive.jobs import speaking
from tisserand.plugins.archive.models import BundleExport, ExportStatus

if TYPE_CHECKING:
    from tisserand.site import Site

log = logging.getLogger("tisserand.archive")
FOLDER = "data/archive-exports"
UNDER_WAY = (ExportStatus.QUEUED, ExportStatus.BUILDING)


def export_folder(site: Site) -> Path:
    """Where built bundles wait for their download (inside the instance folder)."""
    folder = site.settings.path(FOLDER)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def keep_days(site: Site) -> int:
    """``[plugins.archive] export_keep_days``."""
    try:
        return int(site.plugin_settings("archive").export_keep_days)
    except (KeyError, AttributeError):
        return 7


async def request_export(site: Site, community: Community, member: Member | None, *,
                         include_private: bool = False) -> BundleExport:
    """Queue a bundle of ``community`` (or give the one already queued or building)."""
    current = await BundleExport.filter(community_id=community.id, status__in=UNDER_WAY).first()
    if current is not None:
        return current
    export = await BundleExport.create(community_id=community.id, requested_by_id=member.id if member else None,
                                       include_private=include_private)
    await defer(site, "archive.build_export", export_id=export.id, queueing_lock=f"archive-export:{export.id}")
    return export


async def build_export(site: Site, export_id: int) -> None:
    """The task: build export ``export_id`` unless it is already built (or gone)."""
    export = await BundleExport.get_or_none(id=export_id)
    if export is None or export.status not in UNDER_WAY:
        return
    community = await Community.get_or_none(id=export.community_id)  # type: ignore[attr-defined]
    if community is None:
        return
    requester = None
    if export.requested_by_id is not None:  # type: ignore[attr-defined]
        requester = await Member.get_or_none(id=export.requested_by_id)  # type: ignore[attr-defined]
    await BundleExport.filter(id=export.id).update(status=ExportStatus.BUILDING)
    file_name = f"{export.id}-{bundle_name(community)}"
    path = export_folder(site) / file_name
    try:
        await export_community(site, community, path, include_private=export.include_private,
                               exported_by=requester)
    except Exception as error:
        log.exception("export %s of %s failed", export.id, community.slug)
        path.unlink(missing_ok=True)
        await BundleExport.filter(id=export.id).update(status=ExportStatus.FAILED,
                                                       error=str(error)[:300], finished_at=datetime.now(UTC))
        await _tell(site, export, community, requester, ready=False)
        return
    now = datetime.now(UTC)
    await BundleExport.filter(id=export.id).update(
        status=ExportStatus.READY, file_name=file_name, size=path.stat().st_size, finished_at=now,
        expires_at=now + timedelta(days=keep_days(site)))
    await _tell(site, export, community, requester, ready=True)


async def _tell(site: Site, export: BundleExport, community: Community, member: Member | None, *,
                ready: bool) -> None:
    if member is None:
        return
    with speaking(member.locale or site.settings.site.default_locale):
        if ready:
            title = lazy_gettext("The archive of {community} is ready to download", community=community.name)
        else:
            title = lazy_gettext("The archive of {community} could not be built", community=community.name)
    await notify(member, "archive.export_ready" if ready else "archive.export_failed", title,
                 url=f"/c/{community.slug}/lifecycle#exports", community=community,
                 data={"export": export.id}, site=site)


async def forget_old_exports(site: Site) -> int:
    """The periodic job: delete bundles past their date; how many were forgotten."""
    now = datetime.now(UTC)
    forgotten = 0
    for export in await BundleExport.filter(status=ExportStatus.READY, expires_at__lt=now):
        if export.file_name:
            (export_folder(site) / export.file_name).unlink(missing_ok=True)
        await BundleExport.filter(id=export.id).update(status=ExportStatus.EXPIRED)
        forgotten += 1
    return forgotten


async def recent_exports(community: Community, limit: int = 5) -> list[BundleExport]:
    """The community's latest exports, newest first (for the life plan page and the API)."""
    return await BundleExport.filter(community_id=community.id).order_by("-id").limit(limit)


def export_file(site: Site, export: BundleExport) -> Path | None:
    """The built file of a ready export, or None (not ready, expired or missing)."""
    if export.status != ExportStatus.READY or not export.file_name:
        return None
    if export.expires_at is not None and export.expires_at < datetime.now(UTC):
        return None
    path = export_folder(site) / export.file_name
    return path if path.is_file() else None
