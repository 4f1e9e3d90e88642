"""What a file really is, read from its first bytes (never from its name or the sender's header).

:func:`sniff` answers a :class:`Sniffed` (MIME type, extension, kind) for the types a site
accepts, or ``None``: JPEG, PNG, WebP and GIF images; PDF; OpenDocument (text, spreadsheet,
presentation, drawing) and Office Open XML (Word, Excel, PowerPoint) documents, told apart by
the names inside the zip; CSV and plain text (UTF-8, no NUL byte, nothing a browser would take
for HTML, SVG or XML). Everything else — SVG, HTML, scripts, executables, legacy binary Office
files, archives of other kinds — is refused.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

#: The first bytes of an OLE compound file: legacy binary Office documents (.doc, .xls, .ppt),
#: refused with their own message (:func:`is_legacy_office`).
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
#: How many bytes of a text file are checked (the rest is not read).
TEXT_SAMPLE = 64 * 1024
_MARKUP = re.compile(
    rb"<\s*(?:!doctype|html|head|body|script|svg|iframe|object|embed|meta|link|style|\?xml|xml|"
    rb"a\s|img\s|div|table|title|frameset|math)",
    re.IGNORECASE,
)
_ODF = {
    "application/vnd.oasis.opendocument.text": "odt",
    "application/vnd.oasis.opendocument.spreadsheet": "ods",
    "application/vnd.oasis.opendocument.presentation": "odp",
    "application/vnd.oasis.opendocument.graphics": "odg",
}
_OOXML = {
    "word/": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"),
    "xl/": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    "ppt/": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", "pptx"),
}


@dataclass(frozen=True)
class Sniffed:
    """The type found in a file: ``mime``, the ``extension`` the server gives it on disk and
    in downloads, and ``kind`` (``image``, ``document`` or ``text``)."""

    mime: str
    extension: str
    kind: str

    @property
    def is_image(self) -> bool:
        """True for the image types the site re-encodes (JPEG, PNG, WebP, GIF)."""
        return self.kind == "image"


def _image(head: bytes) -> Sniffed | None:
    if head.startswith(b"\xff\xd8\xff"):
        return Sniffed("image/jpeg", "jpg", "image")
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return Sniffed("image/png", "png", "image")
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return Sniffed("image/gif", "gif", "image")
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return Sniffed("image/webp", "webp", "image")
    return None


def _zip_document(path: Path) -> Sniffed | None:
    """OpenDocument (its ``mimetype`` entry) or Office Open XML (its parts' folders); only the
    zip's directory and one tiny entry are read, so a zip bomb costs nothing here."""
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            if len(infos) > 10_000:
                return None
            names = {info.filename for info in infos}
            first = infos[0] if infos else None
            if first is not None and first.filename == "mimetype" and first.file_size <= 100:
                declared = archive.read(first).decode("ascii", "replace").strip()
                if declared in _ODF:
                    return Sniffed(declared, _ODF[declared], "document")
                return None
            if "[Content_Types].xml" in names:
                for prefix, (mime, extension) in _OOXML.items():
                    if any(name.startswith(prefix) for name in names):
                        return Sniffed(mime, extension, "document")
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, NotImplementedError, ValueError):
        return None
    return None


def _text(sample: bytes, complete: bool, name: str) -> Sniffed | None:
    if b"\x00" in sample:
        return None
    if sample.startswith(b"\xef\xbb\xbf"):
        sample = sample[3:]
    if not complete:
        # Cut at the last newline so a multi-byte character split by the sample stays valid.
        cut = sample.rfind(b"\n")
        sample = sample[: cut + 1] if cut > 0 else sample[:-4]
    try:
        text = sample.decode("utf-8")
    except UnicodeDecodeError:
        return None
    if _MARKUP.search(sample[:4096]) or text.lstrip().startswith("<"):
        return None
    if any(ord(ch) < 32 and ch not in "\t\n\r\f" for ch in text):
        return None
    if name.lower().endswith((".csv", ".tsv")):
        return Sniffed("text/csv", "csv", "text")
    return Sniffed("text/plain", "txt", "text")


def sniff(path: Path, name: str = "") -> Sniffed | None:
    """The accepted type of the file at ``path``, read from its content; ``None`` when the
    file is of a refused type. ``name`` only chooses between CSV and plain text, once the
    content is known to be text."""
    with open(path, "rb") as handle:
        head = handle.read(TEXT_SAMPLE + 1)
    if not head:
        return None
    found = _image(head)
    if found is not None:
        return found
    if head.startswith(b"%PDF-"):
        return Sniffed("application/pdf", "pdf", "document")
    if head.startswith(b"PK\x03\x04"):
        return _zip_document(path)
    return _text(head[:TEXT_SAMPLE], len(head) <= TEXT_SAMPLE, name)


def is_legacy_office(path: Path) -> bool:
    """Is the file at ``path`` an OLE compound file (a legacy binary Office document: .doc,
    .xls, .ppt, and also .msg or .pub)? Those can carry macros and exploits, and are refused."""
    with open(path, "rb") as handle:
        return handle.read(len(OLE_SIGNATURE)) == OLE_SIGNATURE
