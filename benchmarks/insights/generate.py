"""Build a benchmark instance: many communities with a year of raw activity (visits and events)
inserted in bulk, as the hooks would have written it.

    .venv/bin/python -m benchmarks.insights.generate /tmp/bench-insights --communities 100 --days 365
"""

from __future__ import annotations

import argparse
import asyncio
import random
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

CONFIG = """[site]
name = "Bench insights"
secret_key = "bench-insights-secret-key-0123456789abcdef"
default_locale = "en"
[database]
url = "{url}"
[auth]
argon2_time_cost = 1
argon2_memory_kib = 8
[mail]
backend = "null"
[plugins]
enabled = ["insights"]
"""


async def build(folder: Path, communities: int, members: int, days: int, url: str | None) -> None:
    from tisserand.db import connection
    from tisserand.migrate import apply_migrations
    from tisserand.plugins.insights.record import day_of
    from tisserand.site import Site

    folder.mkdir(parents=True, exist_ok=True)
    (folder / "data").mkdir(exist_ok=True)
    (folder / "tisserand.toml").write_text(CONFIG.format(url=url or "sqlite://data/site.sqlite3"), encoding="utf-8")
    site = Site.load(folder)
    await apply_migrations(site.settings, site.plugins)
    await site.start()
    rng = random.Random(1)
    now = datetime.now(UTC)
    started = time.perf_counter()
    db = connection()
    await db.execute_query(
        "INSERT INTO member (username, email, display_name, password_hash, is_admin, is_active, is_placeholder, "
        "locale, timezone, city, created_at) VALUES " + ",".join(
            f"('m{i}', 'm{i}@bench.test', 'Member {i}', '', {'TRUE' if i == 0 else 'FALSE'}, TRUE, FALSE, '', '', '', "
            f"'{now.isoformat(' ')}')" for i in range(members)))
    for c in range(communities):
        await db.execute_query(
            "INSERT INTO community (slug, name, description, visibility, join_policy, grants, status, member_count, "
            f"created_at, updated_at) VALUES ('c{c}', 'Community {c}', '', 'public', 'open', '{{}}', 'active', 0, "
            f"'{(now - timedelta(days=days)).isoformat(' ')}', '{now.isoformat(' ')}')")
    ids = [r["id"] for r in await db.execute_query_dict("SELECT id FROM member ORDER BY id")]
    cids = [r["id"] for r in await db.execute_query_dict("SELECT id FROM community ORDER BY id")]
    visits, events, memberships = [], [], []
    content_id = 0
    for cid in cids:
        crowd = rng.sample(ids, min(len(ids), rng.randint(15, 60)))
        memberships += [(m, cid) for m in crowd]
        pace = rng.uniform(0.2, 1.0)  # some communities are busier than others
        for back in range(days, 0, -1):
            day_time = now - timedelta(days=back)
            day = day_of(day_time)
            for member in rng.sample(crowd, int(len(crowd) * pace * rng.uniform(0.05, 0.3))):
                visits.append((cid, member, day))
            for _ in range(int(rng.uniform(0, 6) * pace)):
                content_id += 1
                action = rng.choice(["new", "reply", "reply", "reply", "edit"])
                kind = "wiki.page" if action == "edit" else ("forum.topic" if action == "new" else "forum.post")
                events.append((cid, rng.choice(crowd), kind, action, content_id, content_id, True, day_time, day))
    from tisserand.db import execute, sql

    conn = db
    await conn.execute_many(sql("INSERT INTO membership (member_id, community_id, role, state, created_at, updated_at) "
                                "VALUES (?, ?, 'member', 'active', ?, ?)"), [[m, c, now, now] for m, c in memberships])
    await execute("UPDATE community SET member_count = (SELECT COUNT(*) FROM membership ms "
                  "WHERE ms.community_id = community.id)")
    await conn.execute_many(sql("INSERT INTO insights_visit (community_id, member_id, day) VALUES (?, ?, ?) "
                                "ON CONFLICT DO NOTHING"), [list(v) for v in visits])
    await conn.execute_many(sql("INSERT INTO insights_event (community_id, member_id, kind, action, content_id, root_id, "
                                "counted, happened_at, day) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"), [list(e) for e in events])
    await site.stop()
    print(f"{communities} communities, {len(ids)} members, {len(memberships)} memberships, {len(visits)} visits, "
          f"{len(events)} events over {days} days in {time.perf_counter() - started:.1f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("folder", type=Path)
    parser.add_argument("--communities", type=int, default=100)
    parser.add_argument("--members", type=int, default=800)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    asyncio.run(build(args.folder, args.communities, args.members, args.days, args.database_url))


if __name__ == "__main__":
    main()
