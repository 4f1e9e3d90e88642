"""Bundles imported in the background: ``tisserand import FILE.zip --queue`` copies the bundle
into the instance folder, records it and defers the ``archive.import_bundle`` task; a worker
imports it with the same checks and limits as the command (all or nothing), then deletes the copy.

The outcome is kept on the :class:`BundleImport` row and in the audit log (``archive.import``
with the community, or ``archive.import_refused`` with the reason). A refused bundle also makes
the job fail with the reason, so that ``tisserand jobs list`` shows it; the task is not retried
(a refusal would be the same again, and the copy is gone). The task is idempotent: a row that is
no longer queued, or whose copy is gone, is left alone.
"""

from __future__ import annotations

import logging
import shutil
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from tisserand.communities import audit
from tisserand.errors import TisserandError
from tisserand.jobs import defer
from tisserand.plugins.archive.importer import import_bundle
from tisserand.plugins.archive.models import BundleImport, ImportStatus

if TYPE_CHECKING:
    from tisserand.site import Site

log = logging.getLogger("tisserand.archive")
FOLDER = "data/archive-imports"
TASK = "archive.import_bundle"


class ImportRefused(Exception):
    """A queued bundle was refused; the message says why (nothing was imported)."""


# The job's error is "archive.ImportRefused: <why>": short enough for 'tisserand jobs list'.
ImportRefused.__module__ = "archive"


def import_folder(site: Site) -> Path:
    """Where queued bundles wait for a worker (inside the instance folder)."""
    folder = site.settings.path(FOLDER)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


async def queue_import(site: Site, source: Path, *, slug: str | None = None,
                       skip_missing_plugins: bool = False) -> tuple[BundleImport, int | None]:
    """Copy ``source`` into the instance folder, record it and defer its import; the row and
    the job id."""
    folder = import_folder(site)
    file_name = f"{uuid.uuid4().hex}.zip"
    partial = folder / f".{file_name}.part"
    try:
        shutil.copyfile(source, partial)
        partial.replace(folder / file_name)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    row = await BundleImport.create(file_name=file_name, original_name=source.name[:255], slug=slug,
                                    skip_missing_plugins=skip_missing_plugins)
    job = await defer(site, TASK, import_id=row.id, queueing_lock=f"archive-import:{row.id}")
    return await BundleImport.get(id=row.id), job


async def run_import(site: Site, import_id: int) -> None:
    """The task: import the bundle of row ``import_id`` (unless already done, or gone)."""
    row = await BundleImport.get_or_none(id=import_id)
    if row is None or row.status not in (ImportStatus.QUEUED, ImportStatus.IMPORTING):
        return
    path = import_folder(site) / row.file_name
    if not row.file_name or not path.is_file():
        await _refused(row, "The copy of the bundle is gone: queue it again.")
        raise ImportRefused(f"the copy of the bundle is gone (import #{row.id}, {row.original_name})")
    await BundleImport.filter(id=row.id).update(status=ImportStatus.IMPORTING)
    try:
        result = await import_bundle(site, path, slug=row.slug, limits=site.plugin_settings("archive").limits(),
                                     skip_missing_plugins=row.skip_missing_plugins)
    except TisserandError as error:
        path.unlink(missing_ok=True)
        await _refused(row, error.message)
        raise ImportRefused(f"{error.message} (import #{row.id}, {row.original_name})") from None
    except Exception as error:
        log.exception("import %s of %s failed", row.id, row.original_name)
        path.unlink(missing_ok=True)
        await _refused(row, str(error) or type(error).__name__)
        raise
    path.unlink(missing_ok=True)
    community = result.community
    await BundleImport.filter(id=row.id).update(status=ImportStatus.DONE, community_slug=community.slug,
                                                finished_at=datetime.now(UTC))
    await audit(None, community, "archive.import", target_kind="archive_import", target_id=row.id,
                data={"file": row.original_name, "slug": community.slug, "counts": dict(result.counts),
                      "skipped_plugins": list(result.skipped_plugins)})


async def _refused(row: BundleImport, message: str) -> None:
    await BundleImport.filter(id=row.id).update(status=ImportStatus.REFUSED, error=message[:500],
                                                finished_at=datetime.now(UTC))
    await audit(None, None, "archive.import_refused", target_kind="archive_import", target_id=row.id,
                data={"file": row.original_name, "error": message[:500]})
