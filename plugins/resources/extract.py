"""Text inside PDF and OpenDocument files, for the library's search: pure Python (pypdf, and
the ODF's ``content.xml``), bounded in pages, bytes and characters, run in a thread."""

from __future__ import annotations

import io
import logging
import re
import zipfile
from xml.etree import ElementTree

log = logging.getLogger("tisserand.resources")
MAX_PAGES = 50
MAX_CHARS = 200_000
MAX_XML_BYTES = 5_000_000
_SPACES = re.compile(r"\s+")


def _pdf(data: bytes) -> str:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    parts: list[str] = []
    size = 0
    for page in reader.pages[:MAX_PAGES]:
        text = page.extract_text() or ""
        parts.append(text)
        size += len(text)
        if size > MAX_CHARS:
            break
    return " ".join(parts)


def _odf(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        info = archive.getinfo("content.xml")
        if info.file_size > MAX_XML_BYTES:
            return ""
        root = ElementTree.fromstring(archive.read(info))
    return " ".join(root.itertext())


def extract_text(data: bytes, mime: str) -> str:
    """The text of a PDF or OpenDocument file (empty for other types or when it cannot be
    read), spaces collapsed, at most ``MAX_CHARS`` characters."""
    try:
        if mime == "application/pdf":
            text = _pdf(data)
        elif mime.startswith("application/vnd.oasis.opendocument."):
            text = _odf(data)
        else:
            return ""
    except Exception:  # a damaged document is still a resource; it is just not searchable
        log.info("no text extracted from a %s file", mime, exc_info=True)
        return ""
    return _SPACES.sub(" ", text).strip()[:MAX_CHARS]
