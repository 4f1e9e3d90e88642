"""Make an instance for the digests benchmark: N members in C communities, a week of notes,
new members and notifications, all inside one weekly window.

    .venv/bin/python benchmarks/digests/generate.py /tmp/bench-digests --members 10000
    .venv/bin/python benchmarks/digests/generate.py /tmp/bench-digests-pg --members 10000 \
        --database postgres://postgres@127.0.0.1:5432/bench_digests

Rows are inserted in bulk with raw SQL (a generator's shortcut; the site itself writes
through the content pipeline). The window's start is kept in ``bench.json`` for run.py.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import secrets
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

CONFIG = """[site]
name = "Bench"
base_url = "http://127.0.0.1:8000"
default_locale = "fr"
secret_key = "{secret}"
[database]
url = "{url}"
[mail]
backend = "smtp"
host = "127.0.0.1"
port = {port}
timeout = 30
[plugins]
enabled = ["digests"]
[plugins.digests]
default_frequency = "weekly"
"""


async def _create_pg_database(url: str) -> None:
    import asyncpg

    base, _, name = url.rpartition("/")
    connection = await asyncpg.connect(base.replace("postgres://", "postgresql://", 1) + "/postgres")
    try:
        await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await connection.execute(f'CREATE DATABASE "{name}"')
    finally:
        await connection.close()


async def _fill(folder: Path, members: int, communities: int, seed: int) -> dict[str, object]:
    from tisserand.db import connection, sql
    from tisserand.migrate import apply_migrations
    from tisserand.plugins.digests.periods import previous_window, zone
    from tisserand.site import Site

    site = Site.load(folder)
    await apply_migrations(site.settings, site.plugins)
    await site.start()
    try:
        rng = random.Random(seed)
        window = previous_window("weekly", datetime.now(UTC), zone(site.settings.site.timezone))
        since = window.since.astimezone(UTC)
        old = since - timedelta(days=60)
        db = connection()

        def at(hours: float) -> datetime:
            return since + timedelta(hours=hours)

        await db.execute_many(sql(
            "INSERT INTO member (id, username, email, display_name, password_hash, is_admin, is_active, "
            "is_placeholder, locale, timezone, city, created_at) VALUES (?, ?, ?, ?, '', FALSE, TRUE, FALSE, ?, '', ?, ?)"),
            [[i, f"m{i:05d}", f"m{i:05d}@bench.test", f"Membre {i}", "fr" if i % 3 else "en",
              rng.choice(["Lyon", "Montréal", "Nantes", ""]), old] for i in range(1, members + 1)])
        await db.execute_many(sql(
            "INSERT INTO community (id, slug, name, description, visibility, join_policy, grants, status, "
            "member_count, created_at, updated_at) VALUES (?, ?, ?, '', ?, 'open', '{}', 'active', 0, ?, ?)"),
            [[c, f"cdp-{c:03d}", f"Communauté {c}", "private" if c % 10 == 0 else "public", old, old]
             for c in range(1, communities + 1)])
        rows = []
        for i in range(1, members + 1):
            for c in rng.sample(range(1, communities + 1), rng.randint(1, 3)):
                joined = at(rng.uniform(0, 160)) if rng.random() < 0.01 else old
                rows.append([i, c, "member", "active", joined, joined])
        await db.execute_many(sql(
            "INSERT INTO membership (member_id, community_id, role, state, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?)"), rows)
        notes = [[c, rng.randint(1, members), f"Note {n} de la communauté {c}", at(rng.uniform(0, 160))]
                 for c in range(1, communities + 1) for n in range(20)]
        await db.execute_many(sql(
            "INSERT INTO content (kind, community_id, author_id, title, body, html, status, status_reason, "
            "meta, created_at, updated_at) VALUES ('bench.note', ?, ?, ?, '', '', 'published', '', '{}', ?, ?)"),
            [[*n, n[-1]] for n in notes])
        await db.execute_many(sql(
            "INSERT INTO notification (member_id, kind, title, text, url, data, created_at) "
            "VALUES (?, 'bench.ping', ?, '', '/', '{}', ?)"),
            [[i, f"Quelqu'un vous a répondu ({i})", at(rng.uniform(0, 160))] for i in range(1, members + 1, 5)])
        if site.settings.database_url.startswith("postgres"):
            for table in ("member", "community", "membership", "content", "notification"):
                await db.execute_script(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                        f"(SELECT MAX(id) FROM {table}))")
        return {"since": since.isoformat(), "members": members, "communities": communities,
                "memberships": len(rows), "notes": len(notes)}
    finally:
        await site.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--members", type=int, default=10_000)
    parser.add_argument("--communities", type=int, default=50)
    parser.add_argument("--database", default="", help="postgres://… (default: SQLite in the folder)")
    parser.add_argument("--smtp-port", type=int, default=8025)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    folder: Path = args.folder
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "data").mkdir(exist_ok=True)
    for old in folder.glob("data/bench.sqlite3*"):
        old.unlink()
    url = args.database or "sqlite://data/bench.sqlite3"
    if url.startswith("postgres"):
        asyncio.run(_create_pg_database(url))
    (folder / "tisserand.toml").write_text(
        CONFIG.format(secret=secrets.token_urlsafe(32), url=url, port=args.smtp_port), encoding="utf-8")
    started = time.perf_counter()
    info = asyncio.run(_fill(folder, args.members, args.communities, args.seed))
    (folder / "bench.json").write_text(json.dumps(info, indent=1), encoding="utf-8")
    print(f"{info} in {time.perf_counter() - started:.1f}s")


if __name__ == "__main__":
    main()
