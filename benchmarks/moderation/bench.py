"""How much the moderation checks add to a post, on one process.

One site with the moderation plugin, two communities: moderation switched on in one, off in
the other. The same members write the same posts in both, alternately, through the whole
content pipeline (``create_content``: checks, Markdown, sanitizing, the transaction,
``content_saved``), so that the load of the machine weighs the same on both sides; the
difference of the medians is what moderation costs a post. Posts are written as a visitor's
(the request context is set), so rate limits, link and mention limits run too; the limits are
raised so that nothing is refused for speed. ``--redis`` counts the rate limits in Redis
(database 15) instead of this process.

    .venv/bin/python benchmarks/moderation/bench.py             # 1000 posts on each side
    .venv/bin/python benchmarks/moderation/bench.py --redis
    .venv/bin/python benchmarks/moderation/bench.py --postgres  # the local PostgreSQL

It also times the parts alone: the watched-word scan and the built-in score of a post (CPU),
and the plugin's whole ``content_check`` (its two queries and the rate limits included).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))
from generate import posts

HIGH = {"posts_per_minute": 100000, "posts_per_hour": 100000, "topics_per_day": 100000}


async def make_site(folder: Path, enabled: list[str], redis: bool, url: str) -> Any:
    """A started site on ``url`` with limits raised above the benchmark's pace."""
    from tisserand.migrate import apply_migrations
    from tisserand.plugin_manager import Plugins
    from tisserand.site import Site
    from tisserand.testing.fixtures import make_settings

    config: dict[str, Any] = {"plugins": {"enabled": enabled, "moderation": {
        "new": {**HIGH, "max_links": 10, "max_mentions": 10}, "community_posts_per_minute": 0,
        "duplicate_window_seconds": 300}}}
    if redis:
        config["redis"] = {"url": "redis://127.0.0.1:6379/15"}
    settings = make_settings(folder, url, enabled, config)
    plugins = Plugins(settings).load()
    await apply_migrations(settings, plugins)
    site = Site(settings, plugins)
    await site.start()
    return site


async def setup(site: Any) -> tuple[Any, Any, list[Any]]:
    """The two communities and their 20 writing members."""
    from tisserand.testing.factory import Factory

    factory = Factory(site)
    members = [await factory.member(f"bench{n}") for n in range(20)]
    roles = {m: "member" for m in members}
    checked = await factory.community("bench", members=roles)  # every plugin, moderation included
    unchecked = await factory.community("bench-off", members=roles, plugins=[])
    return checked, unchecked, members


async def write_posts(site: Any, place: tuple[Any, Any, list[Any]], items: list[dict[str, str]],
                      mark: str) -> tuple[tuple[list[float], float], tuple[list[float], float]]:
    """(wall seconds per post, CPU seconds in all) with and without moderation, the two written
    alternately."""
    from tisserand.content import ContentRejected, create_content
    from tisserand.web.security import _REQUEST

    checked, unchecked, members = place
    token = _REQUEST.set(object())  # as if a visitor posted (rate limits apply)
    timings: dict[int, list[float]] = {checked.id: [], unchecked.id: []}
    cpu: dict[int, float] = {checked.id: 0.0, unchecked.id: 0.0}
    try:
        for number, item in enumerate(items):
            order = (checked, unchecked) if number % 2 else (unchecked, checked)
            for community in order:
                began, began_cpu = time.perf_counter(), time.process_time()
                try:
                    await create_content(kind="bench.post", community=community, author=members[number % 20],
                                         title=item["title"], body=f"{item['body']} {mark} {community.slug}",
                                         site=site)
                except ContentRejected:
                    pass  # a refused word: it still cost the checks
                timings[community.id].append(time.perf_counter() - began)
                cpu[community.id] += time.process_time() - began_cpu
    finally:
        _REQUEST.reset(token)
    return (timings[checked.id], cpu[checked.id]), (timings[unchecked.id], cpu[unchecked.id])


def summary(name: str, timings: list[float], cpu: float | None = None) -> tuple[float, float, float]:
    """Print and return the median, 95th percentile and CPU per post, in ms."""
    ordered = sorted(timings)
    median, p95 = statistics.median(ordered) * 1000, ordered[int(len(ordered) * 0.95)] * 1000
    per_post = (cpu or 0) / len(timings) * 1000
    extra = f"   CPU {per_post:6.2f} ms/post" if cpu is not None else ""
    print(f"  {name:<34} median {median:6.2f} ms   p95 {p95:6.2f} ms{extra}   ({len(timings)} posts)")
    return median, p95, per_post


async def parts(site: Any, items: list[dict[str, str]]) -> None:
    from tisserand.models import Community, Content, Member
    from tisserand.plugins.moderation.checks import check
    from tisserand.plugins.moderation.config import load_policy
    from tisserand.plugins.moderation.scoring import heuristic
    from tisserand.web.security import _REQUEST

    community = await Community.get(slug="bench")
    author = await Member.get(username="bench3")
    policy = await load_policy(site, community, None, None)
    texts = [f"{i['title']}\n{i['body']}" for i in items]
    began = time.process_time()
    for text in texts:
        policy.matcher.scan(text)
    print(f"  {'watched-word scan':<34} CPU    {(time.process_time() - began) / len(texts) * 1000:6.3f} ms/post")
    began = time.process_time()
    for item in items:
        heuristic(item["title"], item["body"], [])
    print(f"  {'built-in score':<34} CPU    {(time.process_time() - began) / len(items) * 1000:6.3f} ms/post")
    timings = []
    cpu = time.process_time()
    token = _REQUEST.set(object())
    try:
        for number, item in enumerate(items):
            content = Content(kind="bench.post", community=community, author=author, title=item["title"],
                              body=item["body"] + f" [{number}]")
            began = time.perf_counter()
            await check(site, content, author, community)
            timings.append(time.perf_counter() - began)
    finally:
        _REQUEST.reset(token)
    summary("moderation content_check alone", timings, time.process_time() - cpu)


async def main(count: int, redis: bool, postgres: bool) -> None:
    from tisserand.testing import databases

    items = list(posts(count))
    folder = Path(tempfile.mkdtemp(prefix="bench-moderation-"))
    url = databases.create_postgres_database() if postgres else f"sqlite://{folder / 'db.sqlite3'}"
    if redis:
        import redis.asyncio as client

        connection = client.from_url("redis://127.0.0.1:6379/15")
        await connection.flushdb()
        await connection.aclose()
    site = await make_site(folder, ["moderation"], redis, url)
    try:
        place = await setup(site)
        await write_posts(site, place, items[: count // 10], "warm-up")  # caches, prepared statements
        with_moderation, without = await write_posts(site, place, items, "measured")
        base = summary("without moderation", *without)
        checked = summary("with moderation", *with_moderation)
        print(f"  {'added by moderation':<34} median {checked[0] - base[0]:6.2f} ms   "
              f"p95 {checked[1] - base[1]:6.2f} ms   CPU {checked[2] - base[2]:6.2f} ms/post")
        await parts(site, items[:200])
    finally:
        await site.stop()
        if postgres:
            databases.drop_postgres_database(url)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", type=int, default=1000)
    parser.add_argument("--redis", action="store_true", help="rate limits in Redis (database 15)")
    parser.add_argument("--postgres", action="store_true", help="PostgreSQL instead of SQLite")
    args = parser.parse_args()
    print(f"{args.posts} posts, {'PostgreSQL' if args.postgres else 'SQLite'}, "
          f"rate limits {'in Redis' if args.redis else 'in this process'}")
    asyncio.run(main(args.posts, args.redis, args.postgres))
