"""Drafts nobody used: files uploaded for a text that was never saved (the author left the
page, or the post was refused) belong to nothing. A daily job removes those older than
``[uploads] drafts_days``."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from tisserand.models import Upload, UploadPurpose
from tisserand.uploads.service import delete_upload

if TYPE_CHECKING:
    from tisserand.jobs import Job
    from tisserand.site import Site


async def forget_drafts(site: Site) -> int:
    """Remove unclaimed attachments older than ``drafts_days``; returns how many."""
    days = site.settings.uploads.drafts_days
    if days <= 0:
        return 0
    before = datetime.now(UTC) - timedelta(days=days)
    count = 0
    for upload in await Upload.filter(content_id=None, purpose=UploadPurpose.ATTACHMENT,
                                      created_at__lt=before).limit(1000):
        await delete_upload(upload, site=site)
        count += 1
    return count


def core_jobs() -> list[Job]:
    """The uploads service's scheduled work."""
    from tisserand.jobs import Job

    return [Job("uploads.forget_drafts", forget_drafts, every=timedelta(hours=24),
                description="Remove files uploaded for texts that were never saved")]
