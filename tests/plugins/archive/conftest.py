"""Helpers for the archive plugin's tests: a second, empty site on a fresh database, bundles
read back as plain data, and their normalization for the round-trip comparison."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any
from zipfile import ZipFile

import pytest
import pytest_asyncio

from tisserand.testing import databases


@pytest_asyncio.fixture
async def empty_site(site_factory, database_url, database_flavour, request):
    """``await empty_site(old_site)``: stop ``old_site`` and start a site with every installed
    plugin on an empty, migrated database (the same server, emptied)."""

    async def make(old: Any) -> Any:
        await old.stop()
        if database_flavour == "sqlite":
            template = request.getfixturevalue("_sqlite_template")
            target = Path(database_url.removeprefix("sqlite://"))
            for suffix in ("-wal", "-shm"):
                Path(str(target) + suffix).unlink(missing_ok=True)
            databases.copy_sqlite(template, target)
        return await site_factory()  # on PostgreSQL the factory empties every table

    return make


def read_bundle(path: Path) -> dict[str, Any]:
    """Every data file of a bundle, parsed (``html/`` and ``markdown/`` as a list of names)."""
    data: dict[str, Any] = {}
    with ZipFile(path) as archive:
        for name in sorted(archive.namelist()):
            raw = archive.read(name).decode("utf-8")
            if name.startswith(("html/", "markdown/")):
                data.setdefault("readable", []).append(name)
            elif name.endswith(".jsonl"):
                data[name] = [json.loads(line) for line in raw.splitlines() if line.strip()]
            elif name.endswith(".json"):
                data[name] = json.loads(raw)
            else:
                data[name] = raw
    return data


MEMBER_STEMS = {"author", "member", "actor", "invited_by", "reached_by", "user", "updated_by",
                "last_poster", "created_by", "reporter", "moderator", "sanctioned_by", "decided_by",
                "owner", "organizer", "reviewer", "editor", "sender", "recipient", "flagger", "by"}
CONTENT_STEMS = {"content", "parent", "topic", "post", "page", "meetup", "reply_to", "solved_post",
                 "target_content", "item"}


class Normalizer:
    """Replaces the ids that must change on import with stable names: content items by their
    rank in ``content.jsonl``, members by username, any other id by ``<id>``."""

    def __init__(self, bundle: dict[str, Any]) -> None:
        self.content = {row["id"]: f"content:{i}" for i, row in enumerate(bundle.get("content.jsonl", []))}
        self.kinds = {row["kind"] for row in bundle.get("content.jsonl", [])}
        self.members = {row["id"]: f"@{row['username']}" for row in bundle.get("members.jsonl", [])}

    def _id(self, key: str, value: Any, file: str) -> Any:
        if not isinstance(value, int) or isinstance(value, bool):
            return value
        stem = key[:-3] if key.endswith("_id") else key
        if key == "id" and file == "content.jsonl":
            return self.content.get(value, "content:?")
        if key == "id" and file == "members.jsonl":
            return self.members.get(value, "@?")
        if stem in MEMBER_STEMS and key != "id":
            return self.members.get(value, "@?")
        if stem in CONTENT_STEMS and key != "id":
            return self.content.get(value, "content:?")
        if key == "id" or key.endswith("_id"):
            return "<id>"
        return value

    def walk(self, value: Any, file: str, key: str = "") -> Any:
        if isinstance(value, dict):
            if file == "audit.jsonl" and "target_kind" in value:
                value = dict(value)
                target = value.pop("target_id", None)
                if value["target_kind"] == "member":
                    value["target"] = self.members.get(target, "@?") if target is not None else None
                elif value["target_kind"] in self.kinds:
                    value["target"] = self.content.get(target, "content:?") if target is not None else None
            return {k: self.walk(v, file, k) for k, v in value.items()}
        if isinstance(value, list):
            return [self.walk(v, file, key) for v in value]
        return self._id(key, value, file)

    def readable(self, name: str) -> str:
        """``html/items/12.html`` → ``html/items/content:3.html``."""
        match = re.search(r"/(\d+)(-|\.html)", name)
        if match and int(match.group(1)) in self.content:
            return name[:match.start(1)] + self.content[int(match.group(1))] + name[match.end(1):]
        return name


def normalize(bundle: dict[str, Any]) -> dict[str, Any]:
    """The bundle with ids made comparable and the export's own facts (date, checksums) removed."""
    normalizer = Normalizer(bundle)
    out: dict[str, Any] = {}
    for name, value in bundle.items():
        if name == "manifest.json":
            value = {k: v for k, v in value.items() if k not in ("exported_at", "exported_by", "files")}
            value["files"] = sorted(bundle["manifest.json"]["files"])
        elif name == "members.jsonl":  # who had an account becomes a placeholder elsewhere
            value = [{k: v for k, v in row.items() if k != "is_placeholder"} for row in normalizer.walk(value, name)]
        elif name == "readable":
            value = sorted(normalizer.readable(n) for n in value)
        else:
            value = normalizer.walk(value, name)
        out[name] = value
    return out


@pytest.fixture
def normalized():
    """``normalized(path)`` → the normalized content of a bundle file."""
    return lambda path: normalize(read_bundle(path))
