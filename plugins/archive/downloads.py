"""Serving a bundle over HTTP: built in a temporary file, streamed, then deleted.

One export runs at a time per process (a big community takes a while and a lot of disk); a
second request meanwhile gets 429 with ``Retry-After``.
"""

from __future__ import annotations

import asyncio
import os
import tempfile
import weakref
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from starlette.background import BackgroundTask
from starlette.responses import FileResponse

from tisserand.errors import RateLimited
from tisserand.i18n import _
from tisserand.plugins.archive.export import export_community

if TYPE_CHECKING:
    from tisserand.models import Community, Member
    from tisserand.plugins.archive.models import BundleExport
    from tisserand.site import Site


#: One export at a time per site in this process.
_LOCKS: weakref.WeakKeyDictionary[Site, asyncio.Lock] = weakref.WeakKeyDictionary()


def _lock(site: Site) -> asyncio.Lock:
    lock = _LOCKS.get(site)
    if lock is None:
        lock = _LOCKS[site] = asyncio.Lock()
    return lock


def bundle_name(community: Community) -> str:
    """``jardins-2026-11-21.zip``."""
    return f"{community.slug}-{datetime.now(UTC).date().isoformat()}.zip"


async def bundle_response(site: Site, community: Community, viewer: Member | None, *,
                          include_private: bool = False) -> FileResponse:
    """Export ``community`` and answer with the zip as an attachment."""
    lock = _lock(site)
    if lock.locked():
        raise RateLimited(_("Another export is running. Try again in a minute."), retry_after=60)
    folder = Path(tempfile.mkdtemp(prefix="tisserand-export-"))
    path = folder / bundle_name(community)
    try:
        async with lock:
            await export_community(site, community, path, include_private=include_private,
                                   exported_by=viewer)
    except BaseException:
        _cleanup(path, folder)
        raise
    return FileResponse(path, media_type="application/zip", filename=path.name,
                        background=BackgroundTask(_cleanup, path, folder))


def export_file_response(site: Site, export: BundleExport) -> FileResponse:
    """A background export's bundle as an attachment, private to who may download it; the
    one "nothing here" answer once it has expired (or was never built)."""
    from tisserand.errors import nothing_here
    from tisserand.plugins.archive.exports import export_file

    path = export_file(site, export)
    if path is None:
        raise nothing_here()
    name = path.name.split("-", 1)[1] if "-" in path.name else path.name
    return FileResponse(path, media_type="application/zip", filename=name,
                        headers={"Cache-Control": "private, no-store"})


def _cleanup(path: Path, folder: Path) -> None:
    path.unlink(missing_ok=True)
    try:
        os.rmdir(folder)
    except OSError:
        pass
