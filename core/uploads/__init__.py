"""Uploaded files: the service every plugin uses (public API, see the plugin guide).

- :func:`save_upload` takes a file in (type sniffed from the content, limits, quotas,
  ``file_check`` hooks, images cleaned and resized off the event loop) and returns an
  :class:`~tisserand.models.Upload`.
- :func:`markdown_reference` gives the Markdown that shows or links to it; content that
  references a file claims it when saved (:func:`claim_uploads`), and :func:`attach_upload`
  does it explicitly.
- :func:`can_read_upload` decides, on every download, from what the file belongs to.
- :func:`export_uploads` / :func:`import_uploads` (/ :func:`discard_uploads`): files in
  archive bundles, for the archive plugin.
- :func:`upload_url`, :func:`upload_json`, :func:`get_upload`, :func:`delete_upload`,
  :func:`storage_for` (the backend: ``put``, ``stream``, ``delete``, ``size``).
"""

from tisserand.models import Upload, UploadPurpose
from tisserand.uploads.access import can_read_content, can_read_upload
from tisserand.uploads.bundle import discard_uploads, export_uploads, import_uploads
from tisserand.uploads.references import (
    attach_upload,
    claim_uploads,
    markdown_reference,
    referenced_ids,
    upload_json,
    upload_url,
)
from tisserand.uploads.service import (
    FileRefused,
    PendingUpload,
    clean_name,
    delete_upload,
    get_upload,
    save_upload,
)
from tisserand.uploads.sniff import Sniffed, sniff
from tisserand.uploads.storage import Storage, storage_for

__all__ = [
    "FileRefused",
    "PendingUpload",
    "Sniffed",
    "Storage",
    "Upload",
    "UploadPurpose",
    "attach_upload",
    "can_read_content",
    "can_read_upload",
    "claim_uploads",
    "clean_name",
    "delete_upload",
    "discard_uploads",
    "export_uploads",
    "get_upload",
    "import_uploads",
    "markdown_reference",
    "referenced_ids",
    "save_upload",
    "sniff",
    "storage_for",
    "upload_json",
    "upload_url",
]
