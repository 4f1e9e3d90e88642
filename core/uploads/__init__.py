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

from tisserand.models import Upload, UploadPurpose  # noqa: F401 (the core's own imports)
from tisserand.uploads.access import can_read_content, can_read_upload
from tisserand.uploads.bundle import discard_uploads, export_uploads, import_uploads
from tisserand.uploads.references import (
    attach_upload,
    claim_uploads,  # noqa: F401 (internal: for the core)
    markdown_reference,
    referenced_ids,  # noqa: F401
    upload_json,
    upload_url,
)
from tisserand.uploads.service import (
    FileRefused,
    PendingUpload,
    clean_name,  # noqa: F401
    delete_upload,
    get_upload,
    save_upload,
)
from tisserand.uploads.sniff import Sniffed, sniff  # noqa: F401
from tisserand.uploads.storage import Storage, storage_for  # noqa: F401

# The public part for plugins (docs/plugin-guide.md); the rest is the core's machinery.
__all__ = [
    "FileRefused", "PendingUpload", "Upload", "attach_upload", "can_read_content", "can_read_upload",
    "delete_upload", "discard_uploads", "export_uploads", "get_upload", "import_uploads",
    "markdown_reference", "save_upload", "storage_for", "upload_json", "upload_url",
]
