"""Make a benchmark instance: a wiki page with 1,000 revisions, and its neighbours.

    .venv/bin/python benchmarks/wiki/generate.py /tmp/bench-wiki [--revisions 1000]
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_wiki .venv/bin/python benchmarks/wiki/generate.py /tmp/bench-wiki-pg

Writes ``tisserand.toml`` (wiki only), migrates, then saves every revision through the real path
(content pipeline, compare-and-set, rendered Markdown, link table): ``guide/accueil`` (about
6 KB of text, one paragraph changed per revision, five authors), a one-revision page ``petite``
for comparison, 10 pages below the guide and 40 pages linking to it. Writes an API token for
the benchmark to ``bench-token.txt``.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import time
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
enabled = ["wiki"]
"""

PARAGRAPH = ("Paragraphe {n}, version {v}. Une communauté de pratique vit de ses rituels : un café "
             "virtuel chaque semaine, un webinaire chaque mois, un club de lecture chaque saison. "
             "Voir aussi [[Rituels d'animation]] et [[guide/accueil/outils|les outils]].")


def body(version: int, paragraphs: int = 40) -> str:
    """The guide's text at a version: paragraph ``version % paragraphs`` carries the change."""
    changed = version % paragraphs
    parts = [f"## Partie {n}\n\n" + PARAGRAPH.format(n=n, v=version if n == changed else 0)
             for n in range(paragraphs)]
    return "# Guide d'accueil\n\n" + "\n\n".join(parts) + "\n"


async def populate(instance: Path, revisions: int) -> None:
    from tisserand.auth import create_token
    from tisserand.plugins.wiki.service import PageEdit, save_page
    from tisserand.site import Site
    from tisserand.testing.factory import Factory
    from tisserand.web.community import community_view

    site = Site.load(instance)
    await site.start()
    try:
        factory = Factory(site)
        authors = [await factory.member(f"auteur{n}", display_name=f"Autrice {n}") for n in range(5)]
        community = await factory.community("bench", coordinator=authors[0],
                                            members={a: "member" for a in authors[1:]})
        views = [await community_view(community, a) for a in authors]
        started = time.perf_counter()
        for number in range(1, revisions + 1):
            await save_page(views[number % 5], "guide/accueil",
                            PageEdit(title="Guide d'accueil", body=body(number), summary=f"passe {number}"),
                            number - 1)
            if number % 100 == 0:
                rate = number / (time.perf_counter() - started)
                print(f"  {number} revisions ({rate:.0f} saves/s)", flush=True)
        await save_page(views[1], "petite", PageEdit(title="Petite page", body=body(1)), 0)
        for n in range(10):
            await save_page(views[n % 5], f"guide/accueil/annexe-{n}",
                            PageEdit(title=f"Annexe {n}", body=f"Annexe {n} du [[Guide d'accueil]]."), 0)
        for n in range(40):
            await save_page(views[n % 5], f"notes/note-{n}",
                            PageEdit(title=f"Note {n}", body=f"Relire le [[guide/accueil|guide]] ({n})."), 0)
        token = await create_token(authors[0], "benchmark")
        (instance / "bench-token.txt").write_text(token, encoding="utf-8")
    finally:
        await site.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("instance", type=Path)
    parser.add_argument("--revisions", type=int, default=1000)
    args = parser.parse_args()
    instance = args.instance.resolve()
    (instance / "data").mkdir(parents=True, exist_ok=True)
    url = os.environ.get("BENCH_DATABASE_URL", "sqlite://data/site.sqlite3")
    (instance / "tisserand.toml").write_text(CONFIG.format(url=url), encoding="utf-8")
    env = {**os.environ, "TISSERAND_INSTANCE": str(instance)}
    subprocess.run([sys.executable, "-m", "tisserand.cli.main", "migrate"], env=env, check=True)
    os.environ["TISSERAND_INSTANCE"] = str(instance)
    asyncio.run(populate(instance, args.revisions))
    print("/c/bench/wiki/guide/accueil")


if __name__ == "__main__":
    main()
