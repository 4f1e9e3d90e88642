"""Search latency at scale: p50 and p95 per query, for an anonymous visitor, a member and an admin.

    .venv/bin/python benchmarks/search/bench.py /tmp/bench-search [--rounds 20]

Runs :func:`tisserand.search.search` (the function behind ``/search`` and ``/api/v1/search``)
in the instance made by ``generate.py``: rare, middling and very common words, two words, a
prefix being typed, a word in its plural/accented form. Goal: p95 < 200 ms for every query.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from pathlib import Path

QUERIES = ["permaculture", "agroforesterie ruches", "Chicoutimi", "bibliothèque", "compost",
           "communauté", "communautés", "the", "réunion", "meetings", "projet animation", "commun",
           "jardin potager", "québec"]


async def run(folder: Path, rounds: int, queries: list[str]) -> None:
    from tisserand.models import Member
    from tisserand.search import search
    from tisserand.site import Site

    site = Site.load(folder)
    await site.start()
    try:
        reader = await Member.get(id=int((folder / "reader.txt").read_text()))
        admin = await Member.get(username="member0")
        admin.is_admin = True
        print(f"{'query':<24} {'viewer':<9} {'found':>5} {'p50 ms':>8} {'p95 ms':>8}")
        worst = 0.0
        for query in queries:
            for label, viewer in (("anonymous", None), ("member", reader), ("admin", admin)):
                times = []
                found = 0
                for _ in range(rounds):
                    began = time.perf_counter()
                    rows = await search(viewer, query, limit=20)
                    times.append((time.perf_counter() - began) * 1000)
                    found = len(rows)
                times.sort()
                p95 = times[max(0, int(len(times) * 0.95) - 1)]
                worst = max(worst, p95)
                print(f"{query:<24} {label:<9} {found:>5} {statistics.median(times):>8.1f} {p95:>8.1f}")
        print(f"worst p95: {worst:.1f} ms (goal < 200 ms)")
    finally:
        await site.stop()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("folder", type=Path)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--query", action="append", help="time only this query (repeatable)")
    args = parser.parse_args()
    asyncio.run(run(args.folder.resolve(), args.rounds, args.query or QUERIES))


if __name__ == "__main__":
    main()
