"""Where the bytes of uploaded files live: a folder of the instance (``local``), or an
S3-compatible object store (``s3``). Keys are made by the server only (:func:`new_key`) and
checked again before any use, so no name from a request ever reaches a path."""

from __future__ import annotations

import os
import re
import secrets
import shutil
from collections.abc import AsyncIterator
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import anyio

if TYPE_CHECKING:
    from tisserand.site import Site

CHUNK = 64 * 1024
_KEY = re.compile(r"^[a-z0-9]{2}/[A-Za-z0-9_-]{16,64}\.[a-z0-9]{2,5}$")


def new_key(extension: str) -> str:
    """A fresh storage key, ``ab/<random>.<extension>`` (the extension is the sniffed type's)."""
    token = secrets.token_urlsafe(24)
    folder = secrets.token_hex(1)
    return f"{folder}/{token}.{extension}"


def check_key(key: str) -> str:
    """``key`` when it has the shape :func:`new_key` makes; ValueError otherwise."""
    if not _KEY.match(key):
        raise ValueError(f"not a storage key: {key!r}")
    return key


class Storage(Protocol):
    """What the uploads service needs from a storage backend."""

    async def put(self, key: str, source: Path) -> None:
        """Store the file at ``source`` under ``key``."""

    def stream(self, key: str, start: int = 0, end: int | None = None) -> AsyncIterator[bytes]:
        """The bytes from ``start`` to ``end`` (inclusive; None: to the end), in chunks."""

    async def delete(self, key: str) -> None:
        """Remove ``key`` (no error when it is already gone)."""

    async def size(self, key: str) -> int | None:
        """The stored size of ``key``, or None when it is missing."""


class LocalStorage:
    """Files in a folder (``[uploads] local_dir``, outside any static root), one sub-folder
    per first two characters of the key; writes go through a temporary file and a rename."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def path(self, key: str) -> Path:
        """The file of ``key``."""
        return self.root / check_key(key)

    async def put(self, key: str, source: Path) -> None:
        target = self.path(key)

        def copy() -> None:
            target.parent.mkdir(parents=True, exist_ok=True)
            temporary = target.with_name(f".{target.name}.part")
            shutil.copyfile(source, temporary)
            os.replace(temporary, target)

        await anyio.to_thread.run_sync(copy)

    async def stream(self, key: str, start: int = 0, end: int | None = None) -> AsyncIterator[bytes]:
        remaining = None if end is None else end - start + 1
        async with await anyio.open_file(self.path(key), "rb") as handle:
            await handle.seek(start)
            while remaining is None or remaining > 0:
                chunk = await handle.read(CHUNK if remaining is None else min(CHUNK, remaining))
                if not chunk:
                    break
                if remaining is not None:
                    remaining -= len(chunk)
                yield chunk

    async def delete(self, key: str) -> None:
        path = self.path(key)
        await anyio.to_thread.run_sync(lambda: path.unlink(missing_ok=True))

    async def size(self, key: str) -> int | None:
        path = self.path(key)
        try:
            return (await anyio.Path(path).stat()).st_size
        except FileNotFoundError:
            return None


def storage_for(site: Site) -> Storage:
    """The site's storage backend (built once per site)."""
    storage = site.extra.get("uploads.storage")
    if storage is None:
        settings = site.settings.uploads
        if settings.storage == "s3":
            from tisserand.uploads.s3 import S3Storage

            storage = S3Storage.from_settings(settings)
        else:
            storage = LocalStorage(site.settings.path(settings.local_dir))
        site.extra["uploads.storage"] = storage
    return storage  # type: ignore[no-any-return]
