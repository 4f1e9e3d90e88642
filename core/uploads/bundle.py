"""Files in archive bundles: ``uploads.jsonl`` (one row per file) and ``uploads/<id>.<ext>``
(the bytes). The archive plugin calls :func:`export_uploads` after the content and
:func:`import_uploads` after the content and before the plugins' parts.

On import every file goes through the uploads service again — type sniffed, images decoded
and re-encoded, ``file_check`` hooks — so a bundle cannot bring in what an upload could not.
Sizes are checked before a byte is read (the bundle already refuses zip bombs). A file keeps
its id when it is free, so Markdown references stay valid; otherwise it gets a new id and the
imported content's references are rewritten. ``bundle.upload_ids`` maps old ids to new ones.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

import anyio
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from tisserand.bundle import BundleError
from tisserand.i18n import _
from tisserand.models import Content, Member, Upload, UploadPurpose
from tisserand.uploads.service import save_upload
from tisserand.uploads.storage import storage_for

if TYPE_CHECKING:
    from tisserand.bundle import Bundle
    from tisserand.models import Community
    from tisserand.site import Site

ROWS = "uploads.jsonl"
_FILE = re.compile(r"^uploads/[A-Za-z0-9_-]{8,32}\.[a-z0-9]{2,5}$")


class UploadRow(BaseModel):
    """One line of ``uploads.jsonl``."""

    model_config = ConfigDict(extra="ignore")
    id: str = Field(pattern=r"^[A-Za-z0-9_-]{8,32}$")
    file: str = Field(pattern=_FILE.pattern)
    name: str = Field(max_length=200)
    purpose: UploadPurpose = UploadPurpose.ATTACHMENT
    uploader_id: int | None = None
    content_id: int | None = None
    alt: str = Field("", max_length=500)
    size: int = Field(ge=0)


async def export_uploads(community: Community, bundle: Bundle, *, site: Site | None = None) -> int:
    """Write the community's files (those that belong to content, and its logo and banner)."""
    from tisserand.site import current_site

    storage = storage_for(site or current_site())
    rows = []
    uploads = await Upload.filter(community_id=community.id).order_by("created_at")
    for upload in uploads:
        if upload.purpose == UploadPurpose.ATTACHMENT and upload.content_id is None:
            continue  # a draft nobody used
        extension = upload.storage_key.rsplit(".", 1)[-1]
        name = f"uploads/{upload.id}.{extension}"
        data = b"".join([chunk async for chunk in storage.stream(upload.storage_key)])
        await anyio.to_thread.run_sync(bundle.write_bytes, name, data)
        bundle.include_member(upload.uploader_id)
        rows.append({"id": upload.id, "file": name, "name": upload.name, "purpose": str(upload.purpose),
                     "uploader_id": upload.uploader_id,
                     "content_id": upload.content_id,
                     "alt": upload.alt, "size": upload.size, "type": upload.mime})
    bundle.write_jsonl(ROWS, rows)
    return len(rows)


async def import_uploads(community: Community, bundle: Bundle, *, site: Site | None = None) -> int:
    """Take in the bundle's files for ``community`` (already created, content imported)."""
    from tisserand.site import current_site

    site = site or current_site()
    if not bundle.has(ROWS):
        return 0
    limit = site.settings.uploads.max_bytes
    count = 0
    for number, raw in enumerate(bundle.read_jsonl(ROWS), start=1):
        try:
            row = UploadRow.model_validate(raw)
        except ValidationError:
            raise BundleError(_("The archive is damaged: {name}, line {line}.", name=ROWS, line=number)) from None
        data = await anyio.to_thread.run_sync(bundle.read_bytes, row.file, limit)
        uploader_id = bundle.member_id(row.uploader_id)
        uploader = await Member.get_or_none(id=uploader_id) if uploader_id is not None else None
        keep = None if await Upload.filter(id=row.id).exists() else row.id
        with tempfile.TemporaryDirectory(prefix="tisserand-import-") as work:
            path = Path(work) / "file"
            path.write_bytes(data)
            try:
                upload = await save_upload(path, name=row.name, uploader=uploader, community=community,
                                           alt=row.alt, purpose=row.purpose, upload_id=keep, quotas=False,
                                           site=site)
            except BundleError:
                raise
            except Exception as exc:
                message = getattr(exc, "message", str(exc))
                raise BundleError(_("The archive holds a file that is refused ({name}): {reason}",
                                    name=row.name, reason=message)) from None
        bundle.upload_ids[row.id] = upload.id
        bundle.stored_keys.extend([upload.storage_key, *dict(upload.variants or {}).values()])
        if row.purpose in (UploadPurpose.LOGO, UploadPurpose.BANNER):
            field = f"{row.purpose.value}_upload"
            setattr(community, field, upload.id)
            await community.save(update_fields=[field])
        if row.content_id is not None:
            upload.content_id = bundle.content_id(row.content_id)
            await upload.save(update_fields=["content_id"])
        count += 1
    await _relink(community, bundle.upload_ids)
    return count


async def _relink(community: Community, mapping: dict[str, str]) -> None:
    """Point the imported content and pictures at the files' new ids (when they changed)."""
    changed = {old: new for old, new in mapping.items() if old != new}
    if changed:
        pattern = re.compile(r"/uploads/(" + "|".join(map(re.escape, changed)) + r")(?=[/?#)\s\"']|$)")

        def swap(text: str) -> str:
            return pattern.sub(lambda m: f"/uploads/{changed[m.group(1)]}", text)

        for content in await Content.filter(community_id=community.id):
            if pattern.search(content.body) or pattern.search(content.html):
                content.body, content.html = swap(content.body), swap(content.html)
                await content.save(update_fields=["body", "html"])


async def discard_uploads(bundle: Bundle, *, site: Site | None = None) -> None:
    """Remove the files an import stored, when the import failed (its rows were rolled back)."""
    from tisserand.site import current_site

    storage = storage_for(site or current_site())
    for key in bundle.stored_keys:
        await storage.delete(key)
    bundle.stored_keys.clear()
