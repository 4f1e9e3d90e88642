"""Test databases: a migrated SQLite template copied per test, or one PostgreSQL database per
test session truncated between tests.

``TISSERAND_TEST_DATABASE_URL`` (a ``postgres://`` URL to a server) selects PostgreSQL for the
``postgres`` flavour; by default ``postgres://postgres@127.0.0.1:5432/postgres`` is tried, and
PostgreSQL tests are skipped when it cannot be reached (they fail instead when
``TISSERAND_REQUIRE_POSTGRES=1``, as in CI).
"""

from __future__ import annotations

import asyncio
import os
import shutil
import uuid
from pathlib import Path
from typing import Any

DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/postgres"


def run_sync(coroutine: Any) -> Any:
    """Run a coroutine to completion in a new thread with its own loop (works whether or not
    the caller's thread already runs an event loop, as inside async fixtures)."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def postgres_server_url() -> str:
    """The maintenance URL of the test PostgreSQL server."""
    return os.environ.get("TISSERAND_TEST_DATABASE_URL") or DEFAULT_PG


def _with_database(url: str, name: str) -> str:
    base, _, _ = url.rpartition("/")
    return f"{base}/{name}"


async def _pg_admin(url: str, statement: str) -> None:
    import asyncpg

    dsn = url.replace("postgres://", "postgresql://", 1)
    connection = await asyncpg.connect(dsn, timeout=5)
    try:
        await connection.execute(statement)
    finally:
        await connection.close()


def postgres_available() -> str | None:
    """None when PostgreSQL answers, else the reason it does not."""
    try:
        run_sync(_pg_admin(postgres_server_url(), "SELECT 1"))
        return None
    except Exception as exc:  # any failure means "not reachable here"
        return f"{type(exc).__name__}: {exc}"


def create_postgres_database() -> str:
    """Create an empty database for this test session; returns its URL."""
    name = f"tisserand_test_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    run_sync(_pg_admin(postgres_server_url(), f'CREATE DATABASE "{name}"'))
    return _with_database(postgres_server_url(), name)


def drop_postgres_database(url: str) -> None:
    """Drop a database made by :func:`create_postgres_database`."""
    name = url.rsplit("/", 1)[1]
    run_sync(_pg_admin(postgres_server_url(), f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


LOCK_WAIT = "15s"
#: Sessions of other processes holding a lock on a table of the test database.
_BLOCKERS = ("SELECT DISTINCT a.pid, a.application_name, a.state, left(a.query, 160) AS query "
             "FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
             "WHERE l.granted AND l.pid <> pg_backend_pid() AND a.datname = current_database() "
             "AND l.locktype = 'relation'")


async def truncate_all(connection: Any) -> None:
    """Empty every table but the migration records (PostgreSQL), resetting ids.

    TRUNCATE needs every table to itself: a session left behind by an earlier test (a worker
    process, a task that outlived its site) would make it wait forever and stall the whole run.
    It waits at most ``LOCK_WAIT``; then the sessions holding locks are named in a warning,
    ended, and the TRUNCATE tried again."""
    import warnings

    rows = await connection.execute_query_dict(
        "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'tortoise_migrations'")
    if not rows:
        return
    tables = ", ".join(f'"{r["tablename"]}"' for r in rows)
    for attempt in range(3):
        try:
            async with connection._in_transaction() as transaction:
                await transaction.execute_script(f"SET LOCAL lock_timeout = '{LOCK_WAIT}'")
                await transaction.execute_script(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")
            return
        except Exception as exc:
            if "lock timeout" not in str(exc) or attempt == 2:
                raise
            blockers = await connection.execute_query_dict(_BLOCKERS)
            warnings.warn(f"a session left by an earlier test held the test database's tables; ending it: "
                          f"{blockers}", stacklevel=2)
            for blocker in blockers:
                await connection.execute_query("SELECT pg_terminate_backend($1)", [blocker["pid"]])


def copy_sqlite(template: Path, target: Path) -> None:
    """Copy a migrated SQLite template (and its WAL files) to ``target``."""
    shutil.copyfile(template, target)
    for suffix in ("-wal", "-shm"):
        extra = Path(str(template) + suffix)
        if extra.exists():
            shutil.copyfile(extra, Path(str(target) + suffix))
