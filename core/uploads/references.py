"""How content points at files: a Markdown link to ``/uploads/<id>/<name>``.

The link is plain Markdown (``![alt](/uploads/<id>/<name>)`` for an image,
``[name](/uploads/<id>/<name>)`` otherwise), relative to the site, so it survives edits,
moderation, export and import (the id is kept). When content is saved, the files its body
points at that its author uploaded and that belong to nothing yet become the content's
(:func:`claim_uploads`): from then on they are readable by whoever may read the content.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from tisserand.models import Upload, UploadPurpose

if TYPE_CHECKING:
    from tisserand.models import Content

UPLOAD_PATH = re.compile(r"/uploads/([A-Za-z0-9_-]{8,32})(?=[/?#)\s\"']|$)")


def upload_url(upload: Upload, variant: str | None = None) -> str:
    """The site-relative URL of a file (``variant``: ``display`` or ``thumb`` for images)."""
    from urllib.parse import quote

    url = f"/uploads/{upload.id}/{quote(upload.name)}"
    return f"{url}?v={variant}" if variant else url


def markdown_reference(upload: Upload) -> str:
    """The Markdown that shows (image) or links to (other files) ``upload``."""
    def escape(text: str) -> str:
        return re.sub(r"([\[\]\\])", r"\\\1", text)

    url = upload_url(upload)
    if upload.mime.startswith("image/"):
        return f"![{escape(upload.alt or upload.name)}]({url})"
    return f"[{escape(upload.name)}]({url})"


def referenced_ids(body: str) -> list[str]:
    """Ids of the files a Markdown body points at, in order, without repeats."""
    return list(dict.fromkeys(UPLOAD_PATH.findall(body or "")))


async def claim_uploads(content: Content) -> int:
    """Make the author's unclaimed files referenced in ``content.body`` belong to it; returns
    how many were claimed. Files of other members, or already owned, are left alone."""
    ids = referenced_ids(content.body)
    author_id = content.author_id
    if not ids or author_id is None:
        return 0
    return int(await Upload.filter(
        id__in=ids, uploader_id=author_id, content_id=None, purpose=UploadPurpose.ATTACHMENT,
    ).update(content_id=content.id, community_id=content.community_id))


async def attach_upload(upload: Upload, content: Content) -> None:
    """Make ``upload`` belong to ``content`` (for plugins that keep files beside the body, e.g.
    the versions of a resource); its readers may then fetch it."""
    upload.content_id = content.id
    upload.community_id = content.community_id
    await upload.save(update_fields=["content_id", "community_id"])


def upload_json(upload: Upload) -> dict[str, Any]:
    """The API's representation of a file."""
    data: dict[str, Any] = {
        "id": upload.id, "url": upload_url(upload), "name": upload.name, "type": upload.mime,
        "size": upload.size, "alt": upload.alt, "markdown": markdown_reference(upload),
        "created_at": upload.created_at,
    }
    if upload.width is not None:
        data["width"], data["height"] = upload.width, upload.height
    variants = dict(upload.variants or {})
    if upload.mime.startswith("image/"):
        data["thumbnail_url"] = upload_url(upload, "thumb" if "thumb" in variants else None)
        data["display_url"] = upload_url(upload, "display" if "display" in variants else None)
    return data
