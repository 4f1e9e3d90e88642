"""Archive bundles: the zip a community is exported to and imported from.

Plugins write and read their parts through ``export_community`` / ``import_community`` with the
methods here; the archive plugin builds the manifest and the zip. Paths are always relative and
checked, so a bundle cannot write outside itself.
"""

from __future__ import annotations

import json
from pathlib import PurePosixPath
from typing import Any
from zipfile import ZIP_DEFLATED, ZipFile

from tisserand.errors import ValidationFailed

FORMAT_VERSION = 1


def safe_name(name: str) -> str:
    """A normalized relative path inside a bundle; refuse absolute paths and ``..``."""
    path = PurePosixPath(name.replace("\\", "/"))
    if path.is_absolute() or ".." in path.parts or not path.parts or name.startswith("/"):
        raise ValidationFailed(f"unsafe path in bundle: {name!r}")
    return str(path)


class Bundle:
    """A zip open for writing (export) or reading (import), plus id maps for the import."""

    def __init__(self, zipfile: ZipFile, *, writing: bool) -> None:
        self.zip = zipfile
        self.writing = writing
        self.content_ids: dict[int, int] = {}
        self.member_ids: dict[int, int] = {}
        self.plugins: dict[str, str] = {}

    @classmethod
    def create(cls, path: str) -> Bundle:
        """A new bundle written to ``path``."""
        return cls(ZipFile(path, "w", compression=ZIP_DEFLATED), writing=True)

    # --- writing ------------------------------------------------------------------------

    def write_text(self, name: str, text: str) -> None:
        """Store a text file (UTF-8)."""
        self.zip.writestr(safe_name(name), text.encode("utf-8"))

    def write_json(self, name: str, data: Any) -> None:
        """Store JSON (dates as ISO 8601 strings)."""
        self.write_text(name, json.dumps(data, ensure_ascii=False, indent=1, default=_default))

    def write_jsonl(self, name: str, rows: Any) -> int:
        """Stream rows as JSON lines into ``name``; returns how many were written."""
        count = 0
        with self.zip.open(safe_name(name), "w", force_zip64=True) as handle:
            for row in rows:
                handle.write(json.dumps(row, ensure_ascii=False, default=_default).encode() + b"\n")
                count += 1
        return count

    # --- reading ------------------------------------------------------------------------

    def names(self) -> list[str]:
        """Every file name in the bundle."""
        return self.zip.namelist()

    def has(self, name: str) -> bool:
        """Does the bundle contain ``name``?"""
        return safe_name(name) in self.zip.namelist()

    def read_text(self, name: str) -> str:
        """A text file's content."""
        return self.zip.read(safe_name(name)).decode("utf-8")

    def read_json(self, name: str) -> Any:
        """A JSON file's content."""
        return json.loads(self.read_text(name))

    def read_jsonl(self, name: str) -> Any:
        """Iterate the rows of a JSON-lines file."""
        with self.zip.open(safe_name(name)) as handle:
            for line in handle:
                if line.strip():
                    yield json.loads(line)

    def content_id(self, old_id: int | None) -> int | None:
        """The new id of an exported content item (None stays None)."""
        return None if old_id is None else self.content_ids[old_id]

    def member_id(self, old_id: int | None) -> int | None:
        """The new id of an exported member (None stays None)."""
        return None if old_id is None else self.member_ids.get(old_id)

    def close(self) -> None:
        """Finish writing, or release the file."""
        self.zip.close()


def _default(value: Any) -> Any:
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, set | frozenset):
        return sorted(value)
    return str(value)
