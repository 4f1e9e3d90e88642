"""Notifications stored as text before messages were kept as data: recover the message id and
its parameters from the stored title and text (matched against every installed catalog, in
French and English), so they are shown in the reader's language; excerpts of member-written
Markdown become plain text. Rows that match nothing stay as they are."""

from __future__ import annotations

import importlib
import json
from pathlib import Path

from tortoise import migrations
from tortoise.migrations import operations as ops


def _load_catalogs() -> None:
    from tisserand import i18n
    from tisserand.plugin_manager import installed_plugins

    folders = [Path(i18n.__file__).parent / "locale"]
    for entry_point in installed_plugins().values():
        try:
            module = importlib.import_module(entry_point.value.split(":")[0])
        except Exception:  # noqa: BLE001 - a broken plugin must not stop the migration
            continue
        if getattr(module, "__file__", None):
            folders.append(Path(module.__file__).parent / "locale")
    i18n.load_catalogs(folders)


def _looks_like_markdown(text: str) -> bool:
    return any(mark in text for mark in ("**", "__", "](", "`", "\n#", "~~")) or text.startswith("#")


async def forward(apps, state_editor):
    from tisserand.i18n import recover
    from tisserand.markdown import plain_excerpt

    _load_catalogs()
    client = state_editor.client
    marker = "$1" if client.capabilities.dialect == "postgres" else "?"
    _count, rows = await client.execute_query("SELECT id, title, text, data FROM notification")
    for row in rows:
        data = row["data"]
        if isinstance(data, str):
            try:
                data = json.loads(data or "{}")
            except ValueError:
                data = {}
        data = dict(data or {})
        if "i18n" in data:
            continue
        texts = {}
        title = recover(row["title"] or "")
        if title is not None:
            texts["title"] = title.to_data()
        body = row["text"] or ""
        message = recover(body) if body else None
        if message is not None:
            texts["text"] = message.to_data()
        elif body and _looks_like_markdown(body):
            body = plain_excerpt(body, 280)
        if not texts and body == (row["text"] or ""):
            continue
        if texts:
            data["i18n"] = texts
        second = "$2" if marker == "$1" else "?"
        third = "$3" if marker == "$1" else "?"
        await client.execute_query(
            f"UPDATE notification SET data = {marker}, text = {second} WHERE id = {third}",
            [json.dumps(data), body, row["id"]])


async def backward(apps, state_editor):
    return None  # the rendered copies in title and text were kept


class Migration(migrations.Migration):
    dependencies = [("core", "0007_live_events")]
    operations = [ops.RunPython(forward, backward)]
