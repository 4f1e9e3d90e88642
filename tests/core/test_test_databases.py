"""The test fixtures themselves: a session left holding the test database's tables by an
earlier test must not stall the next test's reset (it would stall the whole CI run)."""

from __future__ import annotations

import asyncpg
import pytest

from tisserand.db import connection
from tisserand.models import Member
from tisserand.testing import databases


async def test_a_leftover_session_holding_a_table_does_not_stall_the_reset(site, database_flavour, database_url,
                                                                           monkeypatch):
    if database_flavour != "postgres":
        pytest.skip("TRUNCATE and table locks are PostgreSQL's")
    await Member.create(username="reste", email="reste@example.org", password_hash="x")
    leftover = await asyncpg.connect(database_url.replace("postgres://", "postgresql://", 1))
    try:
        await leftover.execute("BEGIN; LOCK TABLE member IN ACCESS SHARE MODE")  # idle in transaction
        monkeypatch.setattr(databases, "LOCK_WAIT", "300ms")
        with pytest.warns(UserWarning, match="held the test database's tables"):
            await databases.truncate_all(connection())
        assert await Member.all().count() == 0
        assert leftover.is_closed() or not await _alive(leftover)
    finally:
        if not leftover.is_closed():
            leftover.terminate()


async def _alive(conn: asyncpg.Connection) -> bool:
    try:
        await conn.execute("SELECT 1")
        return True
    except (asyncpg.PostgresError, asyncpg.InterfaceError, ConnectionError):
        return False
