"""Make a benchmark instance with 100,000 meet-ups around France and Québec.

    .venv/bin/python benchmarks/meetups/generate.py /tmp/bench-meetups [--meetups 100000]
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_meetups \
        .venv/bin/python benchmarks/meetups/generate.py /tmp/bench-meetups-pg

Writes ``tisserand.toml`` (meetups only), migrates, creates 300 members and 200 communities
(70 % public, 20 % private, 10 % secret) through the public API, then inserts the meet-ups
in bulk with raw SQL (the content pipeline would take a quarter of an hour for nothing the
benchmark measures): 70 % clustered around 40 cities (Gaussian, about 25 km), 30 % spread over
France and southern Québec; starts from 60 days ago to a year ahead; 5 % cancelled; a third
in person only, a third online and in person, a third online only (no coordinates). The member
``bench`` belongs to 10 communities, two of them private; a third of the members share a location.
The random seed is fixed, so two runs build the same data.
"""

from __future__ import annotations

import argparse
import asyncio
import os
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
url = "{url}"
[auth]
argon2_time_cost = 1
argon2_memory_kib = 8
[mail]
backend = "null"
[plugins]
enabled = ["meetups"]
"""

CITIES = [
    ("Paris", 48.8566, 2.3522), ("Lyon", 45.7640, 4.8357), ("Marseille", 43.2965, 5.3698),
    ("Toulouse", 43.6047, 1.4442), ("Nice", 43.7102, 7.2620), ("Nantes", 47.2184, -1.5536),
    ("Strasbourg", 48.5734, 7.7521), ("Montpellier", 43.6108, 3.8767), ("Bordeaux", 44.8378, -0.5792),
    ("Lille", 50.6292, 3.0573), ("Rennes", 48.1173, -1.6778), ("Reims", 49.2583, 4.0317),
    ("Grenoble", 45.1885, 5.7245), ("Dijon", 47.3220, 5.0415), ("Angers", 47.4784, -0.5632),
    ("Clermont-Ferrand", 45.7772, 3.0870), ("Tours", 47.3941, 0.6848), ("Limoges", 45.8336, 1.2611),
    ("Brest", 48.3904, -4.4861), ("Rouen", 49.4432, 1.0999), ("Caen", 49.1829, -0.3707),
    ("Metz", 49.1193, 6.1757), ("Besançon", 47.2378, 6.0241), ("Perpignan", 42.6887, 2.8948),
    ("Orléans", 47.9030, 1.9093), ("Poitiers", 46.5802, 0.3404), ("Pau", 43.2951, -0.3708),
    ("Ajaccio", 41.9192, 8.7386), ("Montréal", 45.5017, -73.5673), ("Québec", 46.8139, -71.2080),
    ("Laval", 45.5700, -73.6920), ("Gatineau", 45.4765, -75.7013), ("Longueuil", 45.5312, -73.5181),
    ("Sherbrooke", 45.4042, -71.8929), ("Saguenay", 48.4284, -71.0686), ("Lévis", 46.8033, -71.1779),
    ("Trois-Rivières", 46.3432, -72.5477), ("Rimouski", 48.4489, -68.5236),
    ("Drummondville", 45.8803, -72.4843), ("Rouyn-Noranda", 48.2366, -79.0231),
]
AREAS = [(42.3, 51.1, -4.8, 8.2), (45.0, 49.0, -79.5, -64.0)]  # France, southern Québec
BODY = "Un café **virtuel** ou en salle : tour de table, deux sujets, ce qu'on retient."


def point(rng: random.Random) -> tuple[float, float]:
    """A meet-up's place: near a city most of the time."""
    if rng.random() < 0.7:
        _name, lat, lon = rng.choice(CITIES)
        return round(rng.gauss(lat, 0.22), 6), round(rng.gauss(lon, 0.3), 6)
    south, north, west, east = AREAS[0] if rng.random() < 0.6 else AREAS[1]
    return round(rng.uniform(south, north), 6), round(rng.uniform(west, east), 6)


async def populate(instance: Path, count: int) -> None:
    from tisserand.db import connection, sql
    from tisserand.plugins.meetups.location import set_location
    from tisserand.site import Site
    from tisserand.testing.factory import Factory

    rng = random.Random(2031)
    site = Site.load(instance)
    await site.start()
    try:
        factory = Factory(site)
        bench = await factory.member("bench", display_name="Bench Viewer")
        members = [await factory.member(f"membre{n}") for n in range(300)]
        for member in members[::3]:
            await set_location(member, *point(rng))
        communities = []
        for n in range(200):
            visibility = "public" if n % 10 < 7 else ("private" if n % 10 < 9 else "secret")
            roles = {m: "member" for m in rng.sample(members, 12)}
            if n < 10:
                roles[bench] = "member"
            communities.append(await factory.community(f"c{n:03d}", visibility=visibility,
                                                       coordinator=members[n % 300], members=roles))
        html = site.markdown.render(BODY, {})[0]
        now = datetime.now(UTC).replace(microsecond=0)
        conn = connection()
        started = time.perf_counter()
        content_sql = sql(
            "INSERT INTO content (id, kind, community_id, author_id, parent_id, title, body, html, status, "
            "status_reason, meta, created_at, updated_at, edited_at, activity_at) "
            "VALUES (?, 'meetups.meetup', ?, ?, NULL, ?, ?, ?, ?, '', '{}', ?, ?, NULL, ?)")
        meetup_sql = sql(
            "INSERT INTO meetups_meetup (id, content_id, community_id, starts_at, ends_at, timezone, venue, "
            "address, city, latitude, longitude, online_url, capacity, going_count, waitlist_count, "
            "maybe_count, rsvp_seq, cancelled, cancelled_reason, series_id, series_index, sequence) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, '', ?, ?, ?, ?, ?, 0, 0, 0, 0, ?, '', NULL, 0, 0)")
        first = 1_000_000
        batch_contents, batch_meetups = [], []
        for n in range(count):
            ident = first + n
            community = communities[rng.randrange(len(communities))]
            start = now + timedelta(days=rng.uniform(-60, 365))
            start = start.replace(minute=0, second=0)
            end = start + timedelta(hours=rng.choice((1, 2, 3)))
            shape = n % 3
            lat, lon = point(rng) if shape < 2 else (None, None)
            zone = "America/Toronto" if lon is not None and lon < -50 else "Europe/Paris"
            online = "https://visio.example.org/" + str(ident) if shape > 0 else ""
            status = "published" if rng.random() > 0.01 else "hidden"
            batch_contents.append([ident, community.id, members[n % 300].id, f"Rencontre {n}", BODY, html,
                                   status, start - timedelta(days=20), start - timedelta(days=20),
                                   start - timedelta(days=20)])
            batch_meetups.append([ident, ident, community.id, start, end, zone, f"Salle {n % 50}",
                                  "" if lat is None else "Ville", lat, lon, online,
                                  rng.choice((None, 10, 20, 50)), rng.random() < 0.05])
            if len(batch_contents) == 2000 or n == count - 1:
                await conn.execute_many(content_sql, batch_contents)
                await conn.execute_many(meetup_sql, batch_meetups)
                batch_contents, batch_meetups = [], []
                if (n + 1) % 20000 == 0:
                    print(f"  {n + 1} meet-ups ({(n + 1) / (time.perf_counter() - started):.0f}/s)", flush=True)
        await conn.execute_script("ANALYZE")  # fresh statistics, as a long-running site has
    finally:
        await site.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("instance", type=Path)
    parser.add_argument("--meetups", type=int, default=100_000)
    args = parser.parse_args()
    instance: Path = args.instance.resolve()
    (instance / "data").mkdir(parents=True, exist_ok=True)
    url = os.environ.get("BENCH_DATABASE_URL") or "sqlite://data/site.sqlite3"
    if url.startswith("postgres"):
        import asyncpg

        async def recreate() -> None:
            base, _, name = url.rpartition("/")
            admin = await asyncpg.connect(base.replace("postgres://", "postgresql://", 1) + "/postgres")
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            await admin.execute(f'CREATE DATABASE "{name}"')
            await admin.close()

        asyncio.run(recreate())
    else:
        for suffix in ("", "-wal", "-shm"):
            (instance / "data" / f"site.sqlite3{suffix}").unlink(missing_ok=True)
    (instance / "tisserand.toml").write_text(CONFIG.format(url=url), encoding="utf-8")
    env = {**os.environ, "TISSERAND_INSTANCE": str(instance)}
    subprocess.run([sys.executable, "-m", "tisserand.cli.main", "migrate"], env=env, check=True,
                   capture_output=True)
    started = time.perf_counter()
    asyncio.run(populate(instance, args.meetups))
    print(f"{args.meetups} meet-ups in {instance} ({time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main()
