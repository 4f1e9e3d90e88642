"""Migrations build the whole schema from an empty database, and a second run changes nothing."""

import sqlite3

from tisserand.migrate import apply_migrations
from tisserand.plugin_manager import Plugins
from tisserand.testing import databases
from tisserand.testing.fixtures import all_installed_plugins, make_settings


async def test_sqlite_from_empty(tmp_path):
    path = tmp_path / "fresh.sqlite3"
    settings = make_settings(tmp_path, f"sqlite://{path}", all_installed_plugins())
    plugins = Plugins(settings).load()
    applied: list[str] = []
    await apply_migrations(settings, plugins, progress=lambda e, app, name: applied.append(f"{e}:{app}"))
    assert "apply_done:core" in applied
    tables = {row[0] for row in sqlite3.connect(path).execute("SELECT name FROM sqlite_master")}
    assert {"member", "community", "membership", "content", "audit_log", "content_fts"} <= tables
    assert sqlite3.connect(path).execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    again: list[str] = []
    await apply_migrations(settings, plugins, progress=lambda e, app, name: again.append(e))
    assert not [e for e in again if e.startswith("apply")]


async def test_postgres_from_empty(tmp_path, database_flavour):
    if database_flavour != "postgres":
        return
    reason = databases.postgres_available()
    if reason:
        import pytest

        pytest.skip(reason)
    url = databases.create_postgres_database()
    try:
        settings = make_settings(tmp_path, url, all_installed_plugins())
        await apply_migrations(settings, Plugins(settings).load())
        import asyncpg

        connection = await asyncpg.connect(url.replace("postgres://", "postgresql://", 1))
        try:
            rows = await connection.fetch("SELECT tablename FROM pg_tables WHERE schemaname='public'")
            column = await connection.fetchval(
                "SELECT count(*) FROM information_schema.columns WHERE table_name='content' AND column_name='search_vector'")
        finally:
            await connection.close()
        assert {"member", "community", "content"} <= {r["tablename"] for r in rows}
        assert column == 1
    finally:
        databases.drop_postgres_database(url)


async def test_plugin_lists_become_switches_that_let_later_plugins_in(site, factory):
    import importlib
    import json
    from types import SimpleNamespace

    from tisserand.db import connection, dialect, execute
    from tisserand.models import Community

    step = importlib.import_module("tisserand.migrations.0004_plugin_switches")
    community = await factory.community("jardins")
    # As the first release stored it: the list of plugins switched on.
    cast = "?::jsonb" if dialect() == "postgres" else "?"
    await execute(f"UPDATE community SET plugins = {cast} WHERE id = ?", [json.dumps(["forums"]), community.id])
    await step.forward(None, SimpleNamespace(client=connection()))
    switches = (await Community.get(id=community.id)).plugins
    assert switches["forums"] is True and switches["wiki"] is False
    assert site.plugins.community_plugins(await Community.get(id=community.id)) == ["forums"]
    # A plugin installed later (not in the switches) reaches the community.
    from tisserand.plugin_manager import plugins_switched_on

    assert plugins_switched_on(["forums", "wiki", "agenda"], switches) == ["forums", "agenda"]
