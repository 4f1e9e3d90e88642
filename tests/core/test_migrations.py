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
