"""Make an instance for the archive benchmark: one community with 2,000 forum topics of 50
replies (100,000 posts) and 500 wiki pages of 20 revisions (10,000 revisions).

    .venv/bin/python benchmarks/archive/generate.py /tmp/bench-archive
    .venv/bin/python benchmarks/archive/generate.py /tmp/bench-archive-pg \
        --database postgres://postgres@127.0.0.1:5432/bench_archive

Rows go in with bulk INSERTs built from the models (a generator's shortcut: the site itself
writes through the content pipeline). The forum's and the wiki's own rows are written too when
those plugins are installed, so that their ``export_community`` has its real work to do.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import secrets
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

CONFIG = """[site]
name = "Bench"
base_url = "http://127.0.0.1:8000"
default_locale = "fr"
secret_key = "{secret}"
[database]
url = "{url}"
[mail]
backend = "null"
[plugins]
enabled = {plugins}
"""

PARAGRAPHS = [
    "Bonjour à toutes et à tous ! Pour notre **café virtuel** de jeudi, je propose qu'on parle des "
    "rituels qui relancent une communauté en sommeil : un message d'accueil, une question de la "
    "semaine, un portrait de membre. Qu'en pensez-vous ?",
    "We tried a *monthly reading club* last year: one article, thirty minutes, three questions. "
    "Attendance doubled after two sessions, mostly because people knew what to expect.\n\n"
    "- short\n- regular\n- one clear host",
    "Dans notre réseau, la **carte des réalisations** a beaucoup aidé : chacun y place un projet, avec "
    "une photo et un contact. Les nouveaux membres s'en servent pour trouver quelqu'un près de chez eux.",
    "A quick checklist for a good wiki page:\n\n1. a title that says what it answers\n2. the date of "
    "the last review\n3. who to ask\n\nSee also the onboarding guide, section 2.",
    "Merci pour ce retour ! Je me permets d'ajouter un point : les **webinaires** enregistrés sont "
    "utiles, mais seulement si on publie un résumé écrit dans la semaine. Sinon personne ne les regarde.",
]


def row_for(model: Any, values: dict[str, Any]) -> list[Any]:
    """A full row for ``model`` (every stored column), defaults filled, values in database form."""
    row = []
    for name in model._meta.fields_db_projection:
        field = model._meta.fields_map.get(name) or model._meta.fields_map.get(name.removesuffix("_id"))
        if name in values:
            value = values[name]
        elif getattr(field, "default", None) is not None:
            value = field.default() if callable(field.default) else field.default
        else:
            value = None
        if field is not None and name in model._meta.fields_map and value is not None:
            value = field.to_db_value(value, model)
        row.append(value)
    return row


TABLES: list[str] = []


async def insert(model: Any, rows: list[dict[str, Any]]) -> None:
    """INSERT many rows of ``model`` (ids given)."""
    from tisserand.db import connection, sql

    if not rows:
        return
    TABLES.append(model._meta.db_table)
    columns = list(model._meta.fields_db_projection.values())
    query = sql(f"INSERT INTO {model._meta.db_table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})")
    for start in range(0, len(rows), 2000):
        await connection().execute_many(query, [row_for(model, r) for r in rows[start:start + 2000]])


async def _create_pg_database(url: str) -> None:
    import asyncpg

    base, _, name = url.rpartition("/")
    connection = await asyncpg.connect(base.replace("postgres://", "postgresql://", 1) + "/postgres")
    try:
        await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await connection.execute(f'CREATE DATABASE "{name}"')
    finally:
        await connection.close()


async def fill(folder: Path, topics: int, replies: int, pages: int, revisions: int, seed: int) -> dict[str, int]:
    from tisserand.db import dialect, execute
    from tisserand.migrate import apply_migrations
    from tisserand.models import Community, Content, Member, Membership
    from tisserand.site import Site

    site = Site.load(folder)
    await apply_migrations(site.settings, site.plugins)
    await site.start()
    rng = random.Random(seed)
    start = datetime(2024, 1, 8, 9, tzinfo=UTC)
    try:
        rendered = [site.markdown.render(p)[0] for p in PARAGRAPHS]
        members = [{"id": i, "username": f"membre{i:04d}", "email": f"membre{i:04d}@bench.test",
                    "display_name": f"Membre {i}", "locale": "fr" if i % 3 else "en", "created_at": start}
                   for i in range(1, 201)]
        await insert(Member, members)
        await insert(Community, [{"id": 1, "slug": "bench", "name": "Banc d'essai", "visibility": "public",
                                  "join_policy": "open", "status": "active", "member_count": 200,
                                  "created_at": start, "updated_at": start, "grants": {}}])
        await insert(Membership, [{"id": i, "member_id": i, "community_id": 1,
                                   "role": "coordinator" if i == 1 else "member", "state": "active",
                                   "created_at": start, "updated_at": start} for i in range(1, 201)])
        content: list[dict[str, Any]] = []
        forum_topics: list[dict[str, Any]] = []
        forum_posts: list[dict[str, Any]] = []
        next_id = 1
        moment = start
        for t in range(topics):
            topic_id = next_id
            next_id += 1
            moment += timedelta(minutes=rng.randint(30, 600))
            index = rng.randrange(len(PARAGRAPHS))
            content.append({"id": topic_id, "kind": "forum.topic", "community_id": 1,
                            "author_id": rng.randint(1, 200), "title": f"Sujet {t + 1} : rituels et outils",
                            "body": PARAGRAPHS[index], "html": rendered[index], "status": "published",
                            "meta": {}, "created_at": moment, "updated_at": moment, "activity_at": moment})
            forum_topics.append({"content_id": topic_id, "community_id": 1, "slug": f"sujet-{t + 1}",
                                 "reply_count": replies, "post_seq": replies + 1, "highest_number": replies + 1,
                                 "bumped_at": moment, "participant_count": 5})
            for number in range(replies):
                index = rng.randrange(len(PARAGRAPHS))
                at = moment + timedelta(minutes=number * 7)
                content.append({"id": next_id, "kind": "forum.post", "community_id": 1, "parent_id": topic_id,
                                "author_id": rng.randint(1, 200), "title": "", "body": PARAGRAPHS[index],
                                "html": rendered[index], "status": "published", "meta": {},
                                "created_at": at, "updated_at": at, "activity_at": at})
                forum_posts.append({"content_id": next_id, "topic_id": topic_id, "number": number + 2})
                next_id += 1
        wiki_pages: list[dict[str, Any]] = []
        wiki_revisions: list[dict[str, Any]] = []
        for p in range(pages):
            page_id = next_id
            next_id += 1
            moment += timedelta(hours=3)
            body = "\n\n".join(PARAGRAPHS[(p + k) % len(PARAGRAPHS)] for k in range(3))
            content.append({"id": page_id, "kind": "wiki.page", "community_id": 1, "author_id": 1,
                            "title": f"Guide {p + 1}", "body": body, "html": site.markdown.render(body)[0],
                            "status": "published", "meta": {"path": f"guides/guide-{p + 1}", "slug": "bench"},
                            "created_at": moment, "updated_at": moment, "activity_at": moment})
            wiki_pages.append({"id": p + 1, "content_id": page_id, "community_id": 1, "path": f"guides/guide-{p + 1}",
                               "title_key": f"guide {p + 1}", "licence": "CC-BY-SA-4.0", "visibility": "public",
                               "current_revision": revisions, "created_at": moment, "updated_at": moment})
            for number in range(1, revisions + 1):
                text = body + f"\n\nRévision {number}."
                wiki_revisions.append({"id": p * revisions + number, "page_id": p + 1, "community_id": 1,
                                       "number": number, "author_id": rng.randint(1, 200), "author_name": "Membre",
                                       "created_at": moment + timedelta(days=number), "summary": f"Relecture {number}",
                                       "title": f"Guide {p + 1}", "body": text, "size": len(text)})
        await insert(Content, content)
        try:
            from tisserand.plugins.forums.models import Post, Topic

            await insert(Topic, [{"id": i + 1, **row} for i, row in enumerate(forum_topics)])
            await insert(Post, [{"id": i + 1, **row} for i, row in enumerate(forum_posts)])
        except ImportError:
            pass
        try:
            from tisserand.plugins.wiki.models import WikiPage, WikiRevision

            await insert(WikiPage, wiki_pages)
            await insert(WikiRevision, wiki_revisions)
        except ImportError:
            pass
        if dialect() == "postgres":  # ids were given: move the sequences past them
            for table in TABLES:
                await execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))")
            await execute("ANALYZE")  # what autovacuum does after a bulk load: fresh planner statistics
        return {"members": len(members), "content": len(content), "posts": len(forum_posts),
                "wiki_revisions": len(wiki_revisions)}
    finally:
        await site.stop()


def main() -> None:
    from tisserand.plugin_manager import installed_plugins

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--database", default="", help="postgres://… (default: SQLite in the folder)")
    parser.add_argument("--topics", type=int, default=2000)
    parser.add_argument("--replies", type=int, default=50)
    parser.add_argument("--pages", type=int, default=500)
    parser.add_argument("--revisions", type=int, default=20)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    args.folder.mkdir(parents=True, exist_ok=True)
    (args.folder / "data").mkdir(exist_ok=True)
    url = args.database or "sqlite://data/bench.sqlite3"
    if args.database:
        asyncio.run(_create_pg_database(args.database))
    else:
        for leftover in (args.folder / "data").glob("bench.sqlite3*"):
            leftover.unlink()
    plugins = "[" + ", ".join(f'"{p}"' for p in sorted(installed_plugins())) + "]"
    (args.folder / "tisserand.toml").write_text(
        CONFIG.format(secret=secrets.token_urlsafe(32), url=url, plugins=plugins), encoding="utf-8")
    began = time.perf_counter()
    counts = asyncio.run(fill(args.folder, args.topics, args.replies, args.pages, args.revisions, args.seed))
    print(f"{counts} in {time.perf_counter() - began:.1f} s → {args.folder}")


if __name__ == "__main__":
    main()
