"""Taking a file in: size, type sniffed from the content, quotas, ``file_check`` verdicts, images
re-encoded off the event loop, bytes stored under a server-made key, one ``Upload`` row."""

from __future__ import annotations

import hashlib
import logging
import re
import secrets
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING

import anyio
from tortoise.functions import Sum

from tisserand.errors import NotFound, TisserandError, TooLarge, ValidationFailed
from tisserand.i18n import _
from tisserand.models import Upload, UploadPurpose
from tisserand.plugin_manager import resolve_all
from tisserand.uploads.images import ImageRefused, process_image
from tisserand.uploads.sniff import Sniffed, is_legacy_office, sniff
from tisserand.uploads.storage import new_key, storage_for

if TYPE_CHECKING:
    from tisserand.models import Community, Member
    from tisserand.site import Site

log = logging.getLogger("tisserand.uploads")
_UNSAFE_NAME = re.compile(r"[\x00-\x1f\x7f<>:\"/\\|?*]+")


class FileRefused(TisserandError):
    """The file is refused: 415 for a type the site does not take, 422 for a broken image or a
    ``file_check`` veto (or the verdict's own status)."""

    status_code = 415
    code = "unsupported_type"


@dataclass(frozen=True)
class PendingUpload:
    """A file being uploaded, as ``file_check`` sees it: the bytes that would be stored are at
    ``path`` (read them, do not move them); ``name`` is the cleaned file name, ``mime`` the
    type read from the content, ``kind`` ``image``, ``document`` or ``text``."""

    path: Path
    name: str
    mime: str
    kind: str
    size: int
    sha256: str
    purpose: str


def clean_name(name: str, extension: str) -> str:
    """A file name fit for display and downloads: the last path segment only, no control or
    reserved characters, at most 120 characters, ending with the extension of the sniffed
    type (a ``photo.html`` that is a PNG becomes ``photo.png``)."""
    name = unicodedata.normalize("NFC", name or "")
    name = re.split(r"[/\\]", name)[-1]
    name = _UNSAFE_NAME.sub("_", name).strip(" ._")
    stem = name.rsplit(".", 1)[0] if "." in name else name
    stem = stem.strip(" ._")[:100] or "file"
    return f"{stem}.{extension}"


def _digest(path: Path) -> str:
    sha = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1024 * 1024), b""):
            sha.update(chunk)
    return sha.hexdigest()


async def _used_bytes(**filters: object) -> int:
    row = await Upload.filter(**filters).annotate(total=Sum("size")).first().values("total")
    return int((row or {}).get("total") or 0)


async def _check_quotas(site: Site, uploader: Member, community: Community | None, size: int) -> None:
    limits = site.settings.uploads
    if (limits.member_quota_bytes and not uploader.is_admin
            and await _used_bytes(uploader_id=uploader.id) + size > limits.member_quota_bytes):
        raise TooLarge(_("You have used all the space for your files ({limit} MB). Delete some "
                         "files or ask the site's administrators.",
                         limit=limits.member_quota_bytes // 1_000_000), code="over_quota")
    if (community is not None and limits.community_quota_bytes
            and await _used_bytes(community_id=community.id) + size > limits.community_quota_bytes):
        raise TooLarge(_("This community has used all the space for its files ({limit} MB).",
                         limit=limits.community_quota_bytes // 1_000_000), code="over_quota")


async def _file_check(site: Site, pending: PendingUpload, uploader: Member | None,
                      community: Community | None) -> None:
    from tisserand.content import Verdict

    relay = site.plugins.for_community(community) if community is not None else site.plugins.hook
    answers = await resolve_all(relay.file_check(upload=pending, uploader=uploader, community=community))
    for verdict in answers:
        if isinstance(verdict, Verdict) and verdict.action != "allow":
            raise FileRefused(str(verdict.reason) or _("This file was refused."), code="file_refused",
                              status_code=verdict.status_code)


def _copy_source(source: IO[bytes] | Path, target: Path, limit: int) -> int:
    """Copy the upload into our own temporary file, stopping above ``limit`` bytes."""
    size = 0
    with open(target, "wb") as out:
        handle = open(source, "rb") if isinstance(source, Path) else source  # noqa: SIM115
        try:
            if not isinstance(source, Path):
                handle.seek(0)
            while chunk := handle.read(1024 * 1024):
                size += len(chunk)
                if size > limit:
                    break
                out.write(chunk)
        finally:
            if isinstance(source, Path):
                handle.close()
    return size


async def save_upload(source: IO[bytes] | Path, *, name: str, uploader: Member | None,
                      community: Community | None = None, alt: str = "",
                      purpose: UploadPurpose | str = UploadPurpose.ATTACHMENT,
                      only_images: bool = False, site: Site | None = None,
                      upload_id: str | None = None, quotas: bool = True) -> Upload:
    """Take in a file (an open binary file or a path) for ``uploader`` and return its
    :class:`~tisserand.models.Upload`. Checks, in order: size (413), type read from the
    content (415), images decoded and re-encoded (422 when broken, 413 above the pixel limit),
    quotas (413, code ``over_quota``), ``file_check`` hooks (their verdict). Nothing is
    stored when one fails. ``only_images`` refuses other types (415). Access to ``community``
    is the caller's to check. Imports pass ``uploader=None`` (a member who was not imported),
    the exported ``upload_id`` to keep (when it is free) and ``quotas=False``."""
    from tisserand.site import current_site

    site = site or current_site()
    limits = site.settings.uploads
    purpose = UploadPurpose(purpose)
    alt = " ".join(alt.split())[:500]
    with tempfile.TemporaryDirectory(prefix="tisserand-upload-") as work:
        work_dir = Path(work)
        raw = work_dir / "incoming"
        size = await anyio.to_thread.run_sync(_copy_source, source, raw, limits.max_bytes)
        if size > limits.max_bytes:
            raise TooLarge(_("This file is too large: the limit is {limit} MB.",
                             limit=round(limits.max_bytes / 1_000_000, 1)))
        if size == 0:
            raise ValidationFailed(_("This file is empty."), fields={"file": "empty"})
        found: Sniffed | None = await anyio.to_thread.run_sync(sniff, raw, name)
        if found is None and await anyio.to_thread.run_sync(is_legacy_office, raw):
            raise FileRefused(_("Old binary Office files (.doc, .xls, .ppt) are not accepted: they can "
                                "carry macros and malware. Save the file as PDF, OpenDocument (.odt, .ods, "
                                ".odp) or a recent Office format (.docx, .xlsx, .pptx), then upload it "
                                "again."))
        if found is None:
            raise FileRefused(_("This type of file is not accepted here. Accepted: images (JPEG, PNG, "
                                "WebP, GIF), PDF, OpenDocument and Office documents, CSV and text."))
        if only_images and not found.is_image:
            raise FileRefused(_("Choose a picture: JPEG, PNG, WebP or GIF."))
        final, copies, width, height = raw, {}, None, None
        if found.is_image:
            try:
                image = await anyio.to_thread.run_sync(lambda: process_image(
                    raw, found.mime, work_dir, max_pixels=limits.max_image_pixels,
                    display_size=limits.display_size, thumbnail_size=limits.thumbnail_size))
            except ImageRefused as refused:
                if refused.reason == "too_many_pixels":
                    raise TooLarge(_("This image is too large: at most {limit} million pixels.",
                                     limit=limits.max_image_pixels // 1_000_000)) from None
                raise ValidationFailed(_("This image is damaged or could not be read."),
                                       fields={"file": "broken image"}) from None
            final, copies, width, height = image.path, image.copies, image.width, image.height
        stored_size = final.stat().st_size
        if quotas and uploader is not None:
            await _check_quotas(site, uploader, community, stored_size)
        digest = await anyio.to_thread.run_sync(_digest, final)
        cleaned = clean_name(name, found.extension)
        pending = PendingUpload(final, cleaned, found.mime, found.kind, stored_size, digest, purpose.value)
        await _file_check(site, pending, uploader, community)
        return await _store(site, pending, copies, uploader, community, alt, width, height, upload_id)


async def _store(site: Site, pending: PendingUpload, copies: dict[str, Path], uploader: Member | None,
                 community: Community | None, alt: str, width: int | None, height: int | None,
                 upload_id: str | None) -> Upload:
    storage = storage_for(site)
    extension = pending.name.rsplit(".", 1)[-1]
    key = new_key(extension)
    variants = {name: new_key(path.suffix.lstrip(".")) for name, path in copies.items()}
    written: list[str] = []
    try:
        await storage.put(key, pending.path)
        written.append(key)
        for name, path in copies.items():
            await storage.put(variants[name], path)
            written.append(variants[name])
        return await Upload.create(
            id=upload_id or secrets.token_urlsafe(16), uploader=uploader, community=community, purpose=pending.purpose,
            name=pending.name, mime=pending.mime, size=pending.size, sha256=pending.sha256,
            storage_key=key, width=width, height=height, alt=alt, variants=variants)
    except BaseException:
        for done in written:
            try:
                await storage.delete(done)
            except Exception:  # the original error matters more
                log.exception("could not remove %s after a failed upload", done)
        raise


async def delete_upload(upload: Upload, *, site: Site | None = None) -> None:
    """Remove a file, its copies and its row."""
    from tisserand.site import current_site

    storage = storage_for(site or current_site())
    for key in [upload.storage_key, *dict(upload.variants or {}).values()]:
        await storage.delete(key)
    await upload.delete()


async def get_upload(upload_id: str) -> Upload:
    """The upload with this id, or NotFound (check access with ``can_read_upload``)."""
    upload = await Upload.get_or_none(id=upload_id) if re.fullmatch(r"[A-Za-z0-9_-]{8,32}", upload_id) else None
    if upload is None:
        raise NotFound(_("There is nothing at this address. It may have moved, or you may not have access to it."))
    return upload

