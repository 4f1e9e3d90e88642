"""Archive bundles: the zip a community is exported to and imported from.

Plugins write and read their parts through ``export_community`` / ``import_community`` with the
methods here; the archive plugin builds the manifest, the core files and the zip. The format is
described in ``docs/archive-format.md``.

Reading is defensive: :meth:`Bundle.open` refuses, before reading any data, a file that is not
a zip, too large, with too many entries, with names that are absolute or climb out of the
folder (``..``), symlinks or special files, encrypted entries, duplicate names, entries larger
than the limits or compressed suspiciously well (zip bombs); then it reads ``manifest.json``
and refuses unknown formats. :meth:`Bundle.verify` checks every data file against the sizes and
SHA-256 digests of the manifest. Paths are always relative and checked, so a bundle cannot
name anything outside itself.
"""

from __future__ import annotations

import hashlib
import json
import re
import stat
import zlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO, Any
from zipfile import ZIP_DEFLATED, ZIP_STORED, BadZipFile, LargeZipFile, ZipFile, ZipInfo

from tisserand.errors import ValidationFailed
from tisserand.i18n import _

__all__ = ["FORMAT", "FORMAT_VERSION", "MANIFEST", "Bundle", "BundleError", "BundleLimits"]

#: What ``manifest.json`` says in ``format``.
FORMAT = "tisserand-community"
#: The version of the layout written by this code; readers accept the versions listed below.
FORMAT_VERSION = 1
SUPPORTED_FORMAT_VERSIONS = frozenset({1})
MANIFEST = "manifest.json"
#: Folders for people (a static HTML snapshot, Markdown copies): counted in the manifest, not
#: listed file by file, never read by an import.
READABLE_PREFIXES = ("html/", "markdown/")
_DRIVE = re.compile(r"^[A-Za-z]:")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class BundleError(ValidationFailed):
    """The bundle cannot be read or imported; the message says why, for a person."""

    code = "bad_bundle"


@dataclass(frozen=True)
class BundleLimits:
    """What a bundle may contain before it is refused unread (sizes in bytes)."""

    max_file_bytes: int = 8 * 1024**3
    max_entries: int = 200_000
    max_entry_bytes: int = 4 * 1024**3
    max_total_bytes: int = 16 * 1024**3
    #: Uncompressed size / compressed size above which an entry is taken for a bomb…
    max_ratio: int = 200
    #: …when it is larger than this (tiny files compress well and harm nobody).
    ratio_floor_bytes: int = 1024**2
    max_manifest_bytes: int = 64 * 1024**2
    max_line_bytes: int = 64 * 1024**2


def safe_name(name: str) -> str:
    """A normalized relative path inside a bundle; refuse absolute paths, ``..``, drive letters,
    backslashes and control characters."""
    if (not name or name.startswith(("/", "\\")) or "\\" in name or _DRIVE.match(name)
            or _CONTROL.search(name)):
        raise BundleError(_("Unsafe file name in the archive: {name}.", name=repr(name)))
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or not path.parts:
        raise BundleError(_("Unsafe file name in the archive: {name}.", name=repr(name)))
    return str(path)


class _HashingWriter:
    """Counts and hashes what goes into one zip entry."""

    def __init__(self, handle: IO[bytes]) -> None:
        self.handle = handle
        self.size = 0
        self.digest = hashlib.sha256()

    def write(self, data: bytes) -> None:
        self.handle.write(data)
        self.size += len(data)
        self.digest.update(data)


@dataclass(frozen=True)
class ColumnKinds:
    """Column names that are booleans, and times, in the core's models and one plugin's (a
    name with another type somewhere there is left alone)."""

    booleans: frozenset[str] = frozenset()
    times: frozenset[str] = frozenset()


def column_kinds(app: str | None) -> ColumnKinds:
    """The :class:`ColumnKinds` of the core's Tortoise app and ``app``'s."""
    from tortoise import Tortoise, fields

    kinds: dict[str, set[str]] = {}
    apps = dict(Tortoise.apps.items()) if Tortoise.apps is not None else {}
    for label in ("core", app):
        for model in (apps.get(label) or {}).values() if label else ():
            projection = model._meta.fields_db_projection
            for name, field in model._meta.fields_map.items():
                if isinstance(field, fields.BooleanField):
                    kind = "bool"
                elif isinstance(field, fields.DatetimeField):
                    kind = "time"
                else:
                    kind = "other"
                for key in {name, projection.get(name, name)}:
                    kinds.setdefault(key, set()).add(kind)
    return ColumnKinds(frozenset(k for k, v in kinds.items() if v == {"bool"}),
                       frozenset(k for k, v in kinds.items() if v == {"time"}))


def normalize_row(value: Any, kinds: ColumnKinds) -> Any:
    """One format whatever the database: a boolean column read as ``0``/``1`` (SQLite through
    raw SQL) becomes ``false``/``true``, a time read as SQLite's ``2026-10-25 02:30:00+00:00``
    becomes ISO 8601 with a ``T`` (as PostgreSQL's datetimes are written), in dicts at any depth."""
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            if key in kinds.booleans and type(item) is int and item in (0, 1):
                item = bool(item)
            elif key in kinds.times and isinstance(item, str) and len(item) > 10 and item[10] == " ":
                item = item.replace(" ", "T", 1)
            elif isinstance(item, dict | list | tuple):
                item = normalize_row(item, kinds)
            out[key] = item
        return out
    if isinstance(value, list | tuple):
        return [normalize_row(item, kinds) for item in value]
    return value


class JsonlWriter:
    """Rows written one by one into a JSON-lines file of a bundle (see :meth:`Bundle.open_jsonl`),
    normalized with :func:`normalize_row`."""

    def __init__(self, out: _HashingWriter, kinds: ColumnKinds | None = None) -> None:
        self._out = out
        self._kinds = kinds or ColumnKinds()
        self.count = 0

    def write(self, row: Any) -> None:
        """Append one row."""
        row = normalize_row(row, self._kinds)
        self._out.write(json.dumps(row, ensure_ascii=False, default=_default).encode("utf-8") + b"\n")
        self.count += 1

    def write_many(self, rows: Iterable[Any]) -> None:
        """Append rows."""
        for row in rows:
            self.write(row)


class Bundle:
    """A zip open for writing (export) or reading (import), plus id maps for the import.

    Writing: ``write_json``, ``write_text``, ``write_jsonl`` / ``open_jsonl``; ``include_member``
    makes sure a member your data refers to is in ``members.jsonl``. Reading: ``read_json``,
    ``read_text``, ``read_jsonl``, ``has``, ``names``; ``content_id`` / ``member_id`` map the
    exported ids to the new ones, ``manifest`` and ``plugin_version`` say what wrote it.
    """

    def __init__(self, zipfile: ZipFile, *, writing: bool, limits: BundleLimits | None = None) -> None:
        self.zip = zipfile
        self.writing = writing
        self.limits = limits or BundleLimits()
        self.content_ids: dict[int, int] = {}
        self.member_ids: dict[int, int] = {}
        #: Exported upload id → new upload id (see :mod:`tisserand.uploads.bundle`).
        self.upload_ids: dict[str, str] = {}
        #: Storage keys of the files an import stored (removed again if the import fails).
        self.stored_keys: list[str] = []
        #: Plugin name → version, of the plugins that wrote (export) or will read (import).
        self.plugins: dict[str, str] = {}
        self.manifest: dict[str, Any] = {}
        #: Files written so far: name → {size, sha256, plugin} (readable copies are only counted).
        self.files: dict[str, dict[str, Any]] = {}
        self.readable_files = 0
        #: The plugin whose ``export_community`` / ``import_community`` runs now.
        self.current_plugin: str | None = None
        #: Ids of members the exported data refers to (written to ``members.jsonl``).
        self.member_refs: set[int] = set()
        self.include_private = False
        self._names: set[str] = set()
        self._dirs: set[str] = set()
        self._kinds_cache: dict[str | None, ColumnKinds] = {}

    @classmethod
    def create(cls, path: str | Path) -> Bundle:
        """A new bundle written to ``path``."""
        return cls(ZipFile(path, "w", compression=ZIP_DEFLATED, compresslevel=6), writing=True)

    @classmethod
    def open(cls, path: str | Path, limits: BundleLimits | None = None) -> Bundle:
        """Open a bundle for import, refusing it (:class:`BundleError`) when it is not a zip, is
        too large or malicious, or has no readable manifest of a known format version.

        Nothing but the zip's directory and the manifest is read here; :meth:`verify` reads
        the data files.
        """
        limits = limits or BundleLimits()
        file = Path(path)
        if not file.is_file():
            raise BundleError(_("No such file: {path}.", path=str(path)))
        if file.stat().st_size > limits.max_file_bytes:
            raise BundleError(_("The archive is larger than this site accepts ({limit} bytes).",
                                limit=limits.max_file_bytes))
        try:
            archive = ZipFile(file)
        except (BadZipFile, LargeZipFile, OSError, ValueError, EOFError):
            raise BundleError(_("This file is not a zip archive, or it is damaged.")) from None
        bundle = cls(archive, writing=False, limits=limits)
        try:
            bundle._inspect()
            bundle._load_manifest()
        except BaseException:
            archive.close()
            raise
        return bundle

    # --- inspecting (import) ---------------------------------------------------------------

    def _inspect(self) -> None:
        limits = self.limits
        infos = self.zip.infolist()
        if len(infos) > limits.max_entries:
            raise BundleError(_("The archive holds {count} files, more than the {limit} allowed.",
                                count=len(infos), limit=limits.max_entries))
        total = 0
        for info in infos:
            name = safe_name(info.filename)
            if name != info.filename.removesuffix("/"):
                raise BundleError(_("Unsafe file name in the archive: {name}.", name=repr(info.filename)))
            if info.is_dir():
                self._dirs.add(name)
            if name in self._names:
                raise BundleError(_("The archive holds the file {name} twice.", name=name))
            self._names.add(name)
            if info.flag_bits & 0x1:
                raise BundleError(_("The archive is encrypted: {name}.", name=name))
            mode = info.external_attr >> 16
            if stat.S_ISLNK(mode):
                raise BundleError(_("The archive holds a symbolic link: {name}.", name=name))
            if stat.S_IFMT(mode) not in (0, stat.S_IFREG, stat.S_IFDIR):
                raise BundleError(_("The archive holds a special file: {name}.", name=name))
            if info.compress_type not in (ZIP_STORED, ZIP_DEFLATED):
                raise BundleError(_("The archive uses an unsupported compression: {name}.", name=name))
            if info.file_size > limits.max_entry_bytes:
                raise BundleError(_("The file {name} is too large ({size} bytes, the limit is {limit}).",
                                    name=name, size=info.file_size, limit=limits.max_entry_bytes))
            if (info.file_size > limits.ratio_floor_bytes
                    and info.file_size > max(info.compress_size, 1) * limits.max_ratio):
                raise BundleError(_("The file {name} expands {ratio} times: this looks like a zip bomb.",
                                    name=name, ratio=info.file_size // max(info.compress_size, 1)))
            total += info.file_size
            if total > limits.max_total_bytes:
                raise BundleError(_("The archive expands to more than {limit} bytes.",
                                    limit=limits.max_total_bytes))

    def _load_manifest(self) -> None:
        if MANIFEST not in self._names:
            raise BundleError(_("This is not a Tisserand archive: manifest.json is missing."))
        raw = self._read_bytes(MANIFEST, self.limits.max_manifest_bytes)
        try:
            manifest = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            raise BundleError(_("The archive's manifest.json is damaged.")) from None
        if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
            raise BundleError(_("This is not a Tisserand community archive (unknown manifest)."))
        version = manifest.get("format_version")
        if version not in SUPPORTED_FORMAT_VERSIONS:
            raise BundleError(_("This archive uses format version {version}, which this version of "
                                "Tisserand cannot read (it reads version {known}).",
                                version=repr(version),
                                known=", ".join(str(v) for v in sorted(SUPPORTED_FORMAT_VERSIONS))))
        plugins = manifest.get("plugins", {})
        if not isinstance(plugins, dict) or not isinstance(manifest.get("files", {}), dict):
            raise BundleError(_("The archive's manifest.json is damaged."))
        self.manifest = manifest
        self.plugins = {str(k): str((v or {}).get("version", "")) if isinstance(v, dict) else str(v)
                        for k, v in plugins.items()}

    def verify(self) -> None:
        """Check every data file against the manifest (size and SHA-256), and that no data file
        was added or removed since the export; :class:`BundleError` otherwise."""
        listed: dict[str, Any] = self.manifest.get("files", {})
        for name, meta in listed.items():
            safe = safe_name(name)
            if safe not in self._names:
                raise BundleError(_("The archive is incomplete: {name} is missing.", name=safe))
            if not isinstance(meta, dict):
                raise BundleError(_("The archive's manifest.json is damaged."))
            digest = hashlib.sha256()
            size = 0
            try:
                with self.zip.open(safe) as handle:
                    while chunk := handle.read(1024 * 1024):
                        digest.update(chunk)
                        size += len(chunk)
            except (BadZipFile, zlib.error, EOFError, OSError):
                raise BundleError(_("The archive is damaged: {name} cannot be read.", name=safe)) from None
            if size != meta.get("size") or digest.hexdigest() != meta.get("sha256"):
                raise BundleError(_("The archive is damaged: {name} does not match its checksum.", name=safe))
        for name in self._names:
            if name == MANIFEST or name in self._dirs or name.startswith(READABLE_PREFIXES):
                continue
            if name not in listed:
                raise BundleError(_("The archive holds a file its manifest does not list: {name}. "
                                    "It was changed after the export.", name=name))

    # --- writing --------------------------------------------------------------------------

    def _record(self, name: str, size: int, sha256: str) -> None:
        if name.startswith(READABLE_PREFIXES):
            self.readable_files += 1
        else:
            self.files[name] = {"size": size, "sha256": sha256, "plugin": self.current_plugin}

    def write_bytes(self, name: str, data: bytes) -> None:
        """Store bytes as they are."""
        name = safe_name(name)
        self.zip.writestr(name, data)
        self._record(name, len(data), hashlib.sha256(data).hexdigest())

    def write_text(self, name: str, text: str) -> None:
        """Store a text file (UTF-8)."""
        self.write_bytes(name, text.encode("utf-8"))

    def write_json(self, name: str, data: Any) -> None:
        """Store JSON (dates as ISO 8601 strings, booleans as booleans: see :func:`normalize_row`)."""
        data = normalize_row(data, self._column_kinds())
        self.write_text(name, json.dumps(data, ensure_ascii=False, indent=1, default=_default))

    def _column_kinds(self) -> ColumnKinds:
        kinds = self._kinds_cache.get(self.current_plugin)
        if kinds is None:
            kinds = self._kinds_cache[self.current_plugin] = column_kinds(self.current_plugin)
        return kinds

    @contextmanager
    def open_jsonl(self, name: str) -> Iterator[JsonlWriter]:
        """Write a JSON-lines file row by row (``with bundle.open_jsonl(n) as out: out.write(row)``),
        so that large tables stream; no other file can be written until the block ends."""
        name = safe_name(name)
        with self.zip.open(name, "w", force_zip64=True) as handle:
            out = _HashingWriter(handle)
            writer = JsonlWriter(out, self._column_kinds())
            yield writer
        self._record(name, out.size, out.digest.hexdigest())

    def write_jsonl(self, name: str, rows: Iterable[Any]) -> int:
        """Stream rows as JSON lines into ``name``; returns how many were written."""
        with self.open_jsonl(name) as out:
            out.write_many(rows)
        return out.count

    def include_member(self, member_id: int | None) -> None:
        """Make sure the member with this id is listed in ``members.jsonl`` (e.g. someone who
        answered an RSVP and left the community since), so the import can map it."""
        if member_id is not None:
            self.member_refs.add(int(member_id))

    # --- reading --------------------------------------------------------------------------

    def names(self) -> list[str]:
        """Every file name in the bundle."""
        return self.zip.namelist()

    def has(self, name: str) -> bool:
        """Does the bundle contain ``name``?"""
        name = safe_name(name)
        if self.writing:
            return name in self.zip.NameToInfo
        return name in self._names

    def _info(self, name: str) -> ZipInfo:
        try:
            return self.zip.getinfo(name)
        except KeyError:
            raise BundleError(_("The archive is incomplete: {name} is missing.", name=name)) from None

    def _read_bytes(self, name: str, limit: int | None = None) -> bytes:
        info = self._info(name)
        if limit is not None and info.file_size > limit:
            raise BundleError(_("The file {name} is too large ({size} bytes, the limit is {limit}).",
                                name=name, size=info.file_size, limit=limit))
        try:
            return self.zip.read(info)
        except (BadZipFile, zlib.error, EOFError, OSError):
            raise BundleError(_("The archive is damaged: {name} cannot be read.", name=name)) from None

    def read_bytes(self, name: str, limit: int | None = None) -> bytes:
        """A file's bytes (refused, unread, when larger than ``limit``)."""
        limit = self.limits.max_entry_bytes if limit is None else min(limit, self.limits.max_entry_bytes)
        return self._read_bytes(safe_name(name), limit)

    def read_text(self, name: str) -> str:
        """A text file's content."""
        try:
            return self.read_bytes(name).decode("utf-8")
        except UnicodeDecodeError:
            raise BundleError(_("The archive is damaged: {name} is not UTF-8 text.", name=name)) from None

    def read_json(self, name: str) -> Any:
        """A JSON file's content."""
        try:
            return json.loads(self.read_text(name))
        except json.JSONDecodeError as exc:
            raise BundleError(_("The archive is damaged: {name} is not valid JSON ({error}).",
                                name=name, error=str(exc))) from None

    def read_jsonl(self, name: str) -> Iterator[Any]:
        """Iterate the rows of a JSON-lines file (one row in memory at a time)."""
        name = safe_name(name)
        limit = self.limits.max_line_bytes
        number = 0
        try:
            with self.zip.open(self._info(name)) as handle:
                while True:
                    line = handle.readline(limit + 1)
                    if not line:
                        break
                    number += 1
                    if len(line) > limit:
                        raise BundleError(_("The archive is damaged: line {line} of {name} is too long.",
                                            line=number, name=name))
                    if not line.strip():
                        continue
                    try:
                        yield json.loads(line)
                    except (json.JSONDecodeError, UnicodeDecodeError):
                        raise BundleError(_("The archive is damaged: line {line} of {name} is not valid "
                                            "JSON.", line=number, name=name)) from None
        except (BadZipFile, zlib.error, EOFError, OSError):
            raise BundleError(_("The archive is damaged: {name} cannot be read.", name=name)) from None

    def content_id(self, old_id: int | None) -> int | None:
        """The new id of an exported content item (None stays None)."""
        if old_id is None:
            return None
        try:
            return self.content_ids[int(old_id)]
        except (KeyError, TypeError, ValueError):
            raise BundleError(_("The archive refers to content #{id}, which it does not contain.",
                                id=old_id)) from None

    def member_id(self, old_id: int | None) -> int | None:
        """The new id of an exported member (None stays None, and so does an unknown member)."""
        if old_id is None:
            return None
        try:
            return self.member_ids.get(int(old_id))
        except (TypeError, ValueError):
            return None

    def plugin_version(self, name: str) -> str | None:
        """The version of plugin ``name`` that wrote this bundle (None if it wrote nothing)."""
        return self.plugins.get(name)

    def close(self) -> None:
        """Finish writing, or release the file."""
        self.zip.close()


def _default(value: Any) -> Any:
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, set | frozenset):
        return sorted(value)
    if hasattr(value, "value") and isinstance(value.value, str | int):  # enums
        return value.value
    return str(value)
