"""Uploads on the web: ``POST /api/v1/uploads``, ``GET /api/v1/uploads/{id}`` and the downloads
at ``/uploads/{id}/{name}`` (access checked on every request, streamed, ``Range`` honoured)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from starlette.datastructures import UploadFile
from starlette.responses import Response, StreamingResponse
from starlette.routing import BaseRoute, Route

from tisserand.communities import ensure_writable
from tisserand.errors import NotFound, TisserandError, ValidationFailed
from tisserand.i18n import _
from tisserand.models import Community, Upload
from tisserand.permissions import membership_of
from tisserand.uploads import can_read_upload, get_upload, save_upload, storage_for, upload_json
from tisserand.visibility import is_active_member
from tisserand.web.answers import UploadOut
from tisserand.web.api import answer, documented, require_viewer, viewer
from tisserand.web.pages.common import site_of

if TYPE_CHECKING:
    from starlette.requests import Request

    from tisserand.models import Member

#: Headers on every file: never sniffed into something else, never able to run script.
SAFE_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; sandbox",
    "Cross-Origin-Resource-Policy": "same-origin",
}
_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


def _missing() -> NotFound:
    return NotFound(_("There is nothing at this address. It may have moved, or you may not have access to it."))


async def upload_community(member: Member, slug: str) -> Community:
    """The community named by an upload form: it must exist, be writable and have ``member``
    as an active member (or a site admin); 404 otherwise, as for a community that does not exist."""
    community = await Community.get_or_none(slug=slug)
    if community is None:
        raise NotFound(_("No such community."))
    if not member.is_admin and not is_active_member(await membership_of(member, community)):
        raise NotFound(_("No such community."))
    await ensure_writable(community)
    return community


async def read_upload_form(request: Request) -> tuple[UploadFile, dict[str, str]]:
    """The ``file`` part and the text fields of a multipart upload form; 422 without a file."""
    if not request.headers.get("content-type", "").startswith("multipart/form-data"):
        raise ValidationFailed(_("Send the file as multipart/form-data, in a field named 'file'."),
                               fields={"file": "required"})
    try:
        form = await request.form(max_files=1, max_fields=20, max_part_size=64 * 1024)
    except TisserandError:
        raise
    except Exception as exc:  # a broken multipart body is the sender's fault
        raise ValidationFailed(_("The form could not be read: {reason}", reason=str(exc)[:200])) from None
    upload = form.get("file")
    fields = {key: value for key, value in form.items() if isinstance(value, str)}
    if not isinstance(upload, UploadFile) or (not upload.filename and upload.size == 0):
        await form.close()
        raise ValidationFailed(_("Choose a file to send."), fields={"file": "required"})
    request.state.upload_form = form
    return upload, fields


@documented(status={"POST": 201}, tags=["uploads"], answer=UploadOut, multipart={
    "file": {"type": "string", "format": "binary"}, "alt": {"type": "string", "maxLength": 1000},
    "community": {"type": "string", "description": "slug of the community it belongs to"}})
async def create_upload(request: Request) -> Response:
    """Upload a file (multipart: ``file``, optional ``alt`` text and ``community`` slug) → 201
    with its metadata; 413 too large or over quota, 415 type refused, 422 damaged."""
    member = require_viewer(request)
    file, fields = await read_upload_form(request)
    try:
        community = None
        if fields.get("community"):
            community = await upload_community(member, fields["community"])
        upload = await save_upload(file.file, name=file.filename or "", uploader=member,
                                   community=community, alt=fields.get("alt", ""))
    finally:
        await request.state.upload_form.close()
    return answer(upload_json(upload), status_code=201)


async def readable_upload(request: Request, upload_id: str) -> Upload:
    """The upload, when the viewer may read it now; the same 404 otherwise."""
    try:
        upload = await get_upload(upload_id)
    except NotFound:
        raise _missing() from None
    if not await can_read_upload(viewer(request), upload):
        raise _missing()
    return upload


@documented(tags=["uploads"], answer=UploadOut)
async def upload_item(request: Request) -> Response:
    """A file's metadata (``id, url, name, type, size, width?, height?, thumbnail_url?``); 404
    to those who may not read what it belongs to."""
    upload = await readable_upload(request, request.path_params["id"])
    return answer(upload_json(upload))


def _byte_range(header: str | None, size: int) -> tuple[int, int] | bool | None:
    """``(start, end)`` for one satisfiable range; None to send everything (no or several
    ranges); False when unsatisfiable (416)."""
    if not header:
        return None
    match = _RANGE.match(header.strip())
    if match is None:
        return None
    first, last = match.groups()
    if first == "" and last == "":
        return None
    if first == "":
        length = int(last)
        if length == 0:
            return False
        return max(size - length, 0), size - 1
    start = int(first)
    end = min(int(last), size - 1) if last else size - 1
    if start >= size or end < start:
        return False
    return start, end


async def download(request: Request) -> Response:
    """The bytes of a file (``?v=display`` or ``?v=thumb`` for an image's copies), streamed."""
    upload = await readable_upload(request, request.path_params["id"])
    storage = storage_for(site_of(request))
    variant = request.query_params.get("v", "")
    key = dict(upload.variants or {}).get(variant) if variant else None
    mime = upload.mime
    if key is not None:
        mime = {"png": "image/png", "jpg": "image/jpeg", "webp": "image/webp"}[key.rsplit(".", 1)[-1]]
    key = key or upload.storage_key
    size = upload.size if key == upload.storage_key else await storage.size(key)
    if size is None:
        raise _missing()
    public = await can_read_upload(None, upload)
    etag = f'"{upload.sha256[:32]}-{variant or "o"}"'
    headers: dict[str, Any] = {
        **SAFE_HEADERS,
        "ETag": etag,
        "Accept-Ranges": "bytes",
        "Cache-Control": "public, max-age=300" if public else "private, no-cache",
        "Content-Disposition": ("inline" if mime.startswith("image/") else "attachment")
        + f"; filename*=UTF-8''{quote(upload.name)}",
    }
    if not public:
        headers["Vary"] = "Cookie, Authorization"
    if etag in request.headers.get("if-none-match", ""):
        return Response(status_code=304, headers=headers)
    content_type = f"{mime}; charset=utf-8" if mime.startswith("text/") else mime
    wanted = _byte_range(request.headers.get("range"), size)
    if request.headers.get("if-range") not in (None, etag):
        wanted = None
    if wanted is False:
        headers["Content-Range"] = f"bytes */{size}"
        return Response(status_code=416, headers=headers)
    start, end, status = 0, size - 1, 200
    if isinstance(wanted, tuple):
        start, end = wanted
        status = 206
        headers["Content-Range"] = f"bytes {start}-{end}/{size}"
    headers["Content-Length"] = str(end - start + 1 if size else 0)
    if request.method == "HEAD":
        return Response(status_code=status, headers=headers, media_type=content_type)
    return StreamingResponse(storage.stream(key, start, end), status_code=status, headers=headers,
                             media_type=content_type)


def api_routes() -> list[BaseRoute]:
    """API routes, relative to ``/api/v1``."""
    return [
        Route("/uploads", create_upload, methods=["POST"], name="api_uploads"),
        Route("/uploads/{id}", upload_item, methods=["GET"], name="api_upload"),
    ]


def routes() -> list[BaseRoute]:
    """Download routes."""
    return [
        Route("/uploads/{id}/{name}", download, methods=["GET", "HEAD"], name="upload_download"),
        Route("/uploads/{id}", download, methods=["GET", "HEAD"], name="upload_download_bare"),
    ]
