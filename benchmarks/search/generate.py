"""Make a search benchmark instance: up to a million posts in French and English.

    .venv/bin/python benchmarks/search/generate.py /tmp/bench-search [--posts 1000000] [--database URL]

Words follow a Zipf-like law over a vocabulary of community-of-practice words in French and
English (plural and accented forms included), so "communauté" is common — about one post in
three has it — while "permaculture" is rare. 40 communities (public, private, secret), a
``reader`` who belongs to 12 of them. Rows go in with multi-row INSERTs; the database's own
triggers fill the full-text index, as in production.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

CONFIG = """[site]
name = "Bench"
base_url = "http://127.0.0.1:8000"
default_locale = "fr"
secret_key = "benchmark-secret-key-0123456789abcdef"
[database]
url = "{database}"
[auth]
argon2_time_cost = 1
argon2_memory_kib = 8
[mail]
backend = "null"
[plugins]
enabled = []
"""
# Most frequent first: frequency of rank r is proportional to 1 / r.
VOCABULARY = """communauté communautés the and de la le les des un une et pour avec membres members
réunion réunions meeting meetings projet projets project projects animation animateur animateurs
animatrice webinaire webinar atelier ateliers workshop workshops pratique pratiques practice
partage partager sharing ressources resources document documents compte rendu notes wiki forum
question questions réponse réponses answer answers idée idées idea ideas calendrier calendar
saison saisons objectifs objectives bilan review café virtuel virtual coffee lecture reading club
jardin jardins garden gardens compost potager eau water rivière rivières river énergie energy
mobilité mobility vélo bike santé health école school bibliothèque library numérique digital
données data licence licences ouverte open municipal municipalités city cities territoire région
Québec Montréal Lyon Paris Bordeaux Nantes Lille Chicoutimi Sherbrooke Gatineau formation training
mentorat mentoring accueil onboarding départ offboarding sondage survey enquête indicateurs metrics
gouvernance governance parrainage sponsor coordination coordinator modération moderation troll spam
archive archives héritage legacy célébration celebration anniversaire birthday permaculture
biodiversité pollinisateurs apiculture ruches hydrologie agroforesterie""".split()  # noqa: SIM905 (a word list reads best as prose)
TITLES = ["Retour sur {a}", "{a} et {b} : vos idées ?", "Notes about {a}", "Who knows {a}?",
          "Bilan : {a}, {b}", "{a} — prochaine étape"]


def sentence(rng: random.Random, weights: list[float], words: int) -> str:
    """``words`` words drawn from the vocabulary with Zipf weights."""
    return " ".join(rng.choices(VOCABULARY, weights=weights, k=words))


async def populate(folder: Path, posts: int, batch_size: int = 500) -> None:
    from tisserand.db import connection, dialect
    from tisserand.site import Site
    from tisserand.testing.factory import Factory

    site = Site.load(folder)
    await site.start()
    try:
        factory = Factory(site)
        rng = random.Random(7)
        weights = [1 / (rank + 1) for rank in range(len(VOCABULARY))]
        members = [await factory.member(f"member{i}") for i in range(50)]
        reader = await factory.member("reader")
        communities = []
        for index in range(40):
            communities.append(await factory.community(
                f"communaute-{index}", name=f"Communauté {index}",
                visibility=("public", "public", "private", "secret")[index % 4], coordinator=members[index]))
        for community in communities[:12]:
            await factory.add_member(community, reader, "member")
        marker = "$" if dialect() == "postgres" else "?"
        start = datetime.now(UTC) - timedelta(days=1000)
        client = connection()
        indexes: list[str] = []
        if dialect() == "postgres":
            # Secondary indexes are built once at the end (minutes faster at a million rows
            # than kept up row by row, the GIN index above all); the trigger still fills
            # search_vector as in production.
            found = await client.execute_query_dict(
                "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'content' AND indexname NOT IN "
                "(SELECT conname FROM pg_constraint WHERE conrelid = 'content'::regclass)")
            indexes = [row["indexdef"] for row in found]
            for row in found:
                await client.execute_script(f'DROP INDEX "{row["indexname"]}"')
        began = time.perf_counter()
        for offset in range(0, posts, batch_size):
            rows = []
            for number in range(offset, min(posts, offset + batch_size)):
                when = start + timedelta(seconds=number * 80)
                body = ". ".join(sentence(rng, weights, rng.randint(6, 14)) for _ in range(rng.randint(2, 6)))
                title = rng.choice(TITLES).format(a=sentence(rng, weights, 1), b=sentence(rng, weights, 1))
                rows.append(("bench.post", rng.choice(communities).id, rng.choice(members).id, title, body,
                             f"<p>{body}</p>", "published", "", when, when, when, "{}"))
            columns = ("kind, community_id, author_id, title, body, html, status, status_reason, created_at, updated_at, "
                       "activity_at, meta")
            values, params = [], []
            for row in rows:
                base = len(params)
                marks = [f"${base + i + 1}" if marker == "$" else "?" for i in range(len(row))]
                values.append("(" + ", ".join(marks) + ")")
                params.extend(row)
            await client.execute_query(f"INSERT INTO content ({columns}) VALUES {', '.join(values)}", params)
            done = min(posts, offset + batch_size)
            if done % 50_000 == 0 or done == posts:
                print(f"  {done:>9,} posts  {time.perf_counter() - began:7.1f} s", flush=True)
        if dialect() == "postgres":
            for definition in indexes:
                await client.execute_script(definition)
            print(f"  indexes rebuilt  {time.perf_counter() - began:7.1f} s", flush=True)
            # The planner's word statistics (pg_stats.most_common_elems) come from here.
            await client.execute_script("VACUUM ANALYZE content")
        (folder / "reader.txt").write_text(str(reader.id))
    finally:
        await site.stop()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("folder", type=Path)
    parser.add_argument("--posts", type=int, default=1_000_000)
    parser.add_argument("--database", default="sqlite://data/site.sqlite3",
                        help="database URL, e.g. postgres://postgres@127.0.0.1:5432/bench_search (created empty first)")
    args = parser.parse_args()
    folder = args.folder.resolve()
    if (folder / "tisserand.toml").exists():
        sys.exit(f"{folder} exists already: remove it first")
    (folder / "data").mkdir(parents=True)
    (folder / "tisserand.toml").write_text(CONFIG.format(database=args.database))
    subprocess.run([sys.executable, "-m", "tisserand.cli.main", "--instance", str(folder), "migrate"],
                   check=True, capture_output=True)
    asyncio.run(populate(folder, args.posts))
    print(f"{folder}: {args.posts:,} posts")


if __name__ == "__main__":
    main()
