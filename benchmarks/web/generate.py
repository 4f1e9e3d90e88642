"""Make a benchmark instance for the core's pages: many communities, members and content.

    .venv/bin/python benchmarks/web/generate.py /tmp/bench-web [--items 10000] [--plugins] [--database URL]

Writes ``tisserand.toml`` (no plugin, or every built-in one with ``--plugins``), migrates,
then creates members, 40 communities (public, private, secret; some under a parent), the
memberships of a ``reader`` account, and ``--items`` top-level items with one reply each. Rows
are inserted in batches with HTML rendered once by the site's Markdown renderer (the pipeline's
per-item hooks are not what is measured here). Writes the reader's session secret to
``session.txt`` and the busiest community's slug to ``community.txt``.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import subprocess
import sys
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
enabled = {plugins}
"""
BUILTIN = ["forums", "wiki", "meetups", "moderation", "digests", "archive"]
TITLES = ["Comment relancer une communauté en sommeil ?", "Retour sur le café virtuel de mars",
          "Which licence for municipal datasets?", "Idées pour le prochain webinaire",
          "Bilan de la saison", "Outils pour animer à distance", "Meet-up in Lyon: who is coming?"]
BODY = """Bonjour à toutes et à tous,

Voici ce qui a **bien marché** chez nous :

1. un appel court chaque semaine ;
2. un compte rendu publié juste après, avec [les notes](https://example.org/notes) ;
3. une personne qui *porte* le suivi.

> Le rythme compte plus que le format.

Bonne semaine, @member{n} !"""


async def populate(folder: Path, items: int) -> None:
    from tisserand.auth import open_session
    from tisserand.models import Community, Content, Membership
    from tisserand.site import Site
    from tisserand.testing.factory import Factory

    site = Site.load(folder)
    await site.start()
    try:
        factory = Factory(site)
        rng = random.Random(42)
        members = [await factory.member(f"member{i}", display_name=f"Membre Numéro {i}") for i in range(60)]
        reader = await factory.member("reader", display_name="Lecteur Assidu")
        communities: list[Community] = []
        for index in range(40):
            visibility = ("public", "public", "private", "secret")[index % 4]
            parent = communities[index - 1] if index % 10 == 9 else None
            community = await factory.community(f"communaute-{index}", name=f"Communauté de pratique {index}",
                                                visibility=visibility, coordinator=members[index % 60],
                                                parent=parent, description="Une communauté **active**.")
            communities.append(community)
        for community in communities[:12]:
            await factory.add_member(community, reader, "member")
        for member in members:
            for community in rng.sample(communities, 5):
                await Membership.get_or_create(member_id=member.id, community_id=community.id,
                                               defaults={"role": "member"})
        html = {n: site.markdown.render(BODY.format(n=n))[0] for n in range(60)}
        start = datetime.now(UTC) - timedelta(days=400)
        batch: list[Content] = []
        for number in range(items):
            community = communities[0] if number % 4 == 0 else rng.choice(communities)
            author = rng.choice(members)
            when = start + timedelta(minutes=number * 50)
            batch.append(Content(kind="bench.note", community_id=community.id, author_id=author.id,
                                 title=f"{rng.choice(TITLES)} #{number}", body=BODY.format(n=number % 60),
                                 html=html[number % 60], created_at=when, activity_at=when, meta={}))
            if len(batch) == 500 or number == items - 1:
                await Content.bulk_create(batch)
                batch = []
        topics = await Content.filter(parent_id=None).values_list("id", "community_id", "author_id")
        replies = [Content(kind="bench.note", community_id=c, author_id=a, parent_id=i, body="Merci !",
                           html="<p>Merci !</p>", meta={}) for i, c, a in topics]
        for offset in range(0, len(replies), 500):
            await Content.bulk_create(replies[offset:offset + 500])
        for community in communities:
            count = await Membership.filter(community_id=community.id, state="active").count()
            await Community.filter(id=community.id).update(member_count=count)
        secret, _session = await open_session(site.settings, reader, "bench")
        (folder / "session.txt").write_text(secret)
        (folder / "community.txt").write_text(communities[0].slug)
    finally:
        await site.stop()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("folder", type=Path)
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--plugins", action="store_true", help="enable every built-in plugin")
    parser.add_argument("--database", default="sqlite://data/site.sqlite3",
                        help="database URL, e.g. postgres://postgres@127.0.0.1:5432/bench_web (created empty first)")
    args = parser.parse_args()
    folder = args.folder.resolve()
    if (folder / "tisserand.toml").exists():
        sys.exit(f"{folder} exists already: remove it first")
    (folder / "data").mkdir(parents=True)
    plugins = BUILTIN if args.plugins else []
    (folder / "tisserand.toml").write_text(CONFIG.format(plugins=str(plugins).replace("'", '"'),
                                                         database=args.database))
    subprocess.run([sys.executable, "-m", "tisserand.cli.main", "--instance", str(folder), "migrate"],
                   check=True, capture_output=True)
    asyncio.run(populate(folder, args.items))
    print(f"{folder}: {args.items} items and as many replies; community {(folder / 'community.txt').read_text()}")


if __name__ == "__main__":
    main()
