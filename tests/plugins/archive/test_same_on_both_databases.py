"""One bundle format whatever the database: the same demo data exported from SQLite and from
PostgreSQL gives the same JSON — booleans as ``true``/``false``, times as ISO 8601 with a ``T``
— in the core's files and in every plugin's part. Only the clock differs (the data is made
twice), so times are compared by their form, not their value."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from tests.plugins.archive.conftest import read_bundle
from tisserand.testing import databases
from tisserand.testing.fixtures import _forget_cached_queries, all_installed_plugins, make_settings

TIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")
EMBEDDED = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?")
SLUGS = ["animateurs", "open-data", "climat-local", "comite-direction"]


def shape(value: Any, key: str = "") -> Any:
    """A value with what the clock changes taken out, keeping its type and its form."""
    if isinstance(value, dict):
        return {k: shape(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [shape(v, key) for v in value]
    if isinstance(value, bool):
        return f"bool:{value}"
    if key == "ref" and isinstance(value, str):
        return "ref"  # random, made anew with each question
    if isinstance(value, str) and TIME.match(value):
        return re.sub(r"\d", "0", re.sub(r"\.\d+", "", value))
    if isinstance(value, str):  # times inside texts (Markdown front matter)
        return EMBEDDED.sub(lambda m: re.sub(r"\d", "0", m.group(0)), value)
    if isinstance(value, int | float):
        return f"{type(value).__name__}:{value}"
    return value


async def _export_demo(url: str, flavour: str, folder: Path) -> dict[str, dict[str, Any]]:
    from tisserand.demo import populate
    from tisserand.models import Community
    from tisserand.plugin_manager import Plugins
    from tisserand.plugins.archive.export import export_community
    from tisserand.site import Site

    settings = make_settings(folder, url, all_installed_plugins())
    site = Site(settings, Plugins(settings).load())
    _forget_cached_queries()
    await site.start()
    try:
        if flavour == "postgres":
            from tisserand.db import connection

            await databases.truncate_all(connection())
        await populate(site)
        found = {}
        for slug in SLUGS:
            path = folder / f"{slug}.zip"
            await export_community(site, await Community.get(slug=slug), path, include_private=True)
            data = read_bundle(path)
            data.pop("manifest.json", None)  # checksums and the export's own date
            found[slug] = data
        return found
    finally:
        await site.stop()


async def test_the_same_data_gives_the_same_bundle_on_sqlite_and_postgresql(request, tmp_path):
    pg_url, reason = request.getfixturevalue("_postgres_database")
    if pg_url is None:
        pytest.skip(f"PostgreSQL not reachable: {reason}")
    template = request.getfixturevalue("_sqlite_template")
    target = tmp_path / "same.sqlite3"
    databases.copy_sqlite(template, target)
    (tmp_path / "sqlite").mkdir()
    (tmp_path / "postgres").mkdir()
    lite = await _export_demo(f"sqlite://{target}", "sqlite", tmp_path / "sqlite")
    pg = await _export_demo(pg_url, "postgres", tmp_path / "postgres")
    problems = []
    for slug in SLUGS:
        assert sorted(lite[slug]) == sorted(pg[slug]), slug
        for name in lite[slug]:
            a, b = shape(lite[slug][name]), shape(pg[slug][name])
            if a == b:
                continue
            if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
                index = next(i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y)
                a, b = a[index], b[index]
            if isinstance(a, dict) and isinstance(b, dict):
                a, b = ({k: v for k, v in a.items() if b.get(k) != v}, {k: v for k, v in b.items() if a.get(k) != v})
            problems.append(f"{slug}/{name}: SQLite {a!r} / PostgreSQL {b!r}")
    assert not problems, "the bundle depends on the database:\n" + "\n".join(problems)
