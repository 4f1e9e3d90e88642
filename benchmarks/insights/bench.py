"""Measure what insights costs: recording a reader, a community page with and without insights,
the aggregation job (first run and hourly run), the quiet check, and the insights pages.

    .venv/bin/python -m benchmarks.insights.generate /tmp/bench-insights
    .venv/bin/python -m benchmarks.insights.bench /tmp/bench-insights

In-process (httpx over ASGI, one request at a time): numbers are per request, without network.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from collections.abc import Awaitable, Callable
from datetime import timedelta
from pathlib import Path
from typing import Any


async def timed(label: str, func: Callable[[], Awaitable[Any]], repeat: int = 1) -> float:
    """Run ``func`` ``repeat`` times; print and return the median in milliseconds."""
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        await func()
        samples.append((time.perf_counter() - started) * 1000)
    median = statistics.median(samples)
    print(f"{label:<58} {median:10.2f} ms" + (f"  (median of {repeat})" if repeat > 1 else ""))
    return median


async def run(folder: Path, requests: int) -> None:
    from tisserand.auth import open_session
    from tisserand.db import execute, fetch_one
    from tisserand.models import Community, Member
    from tisserand.plugins.insights.aggregate import aggregate
    from tisserand.plugins.insights.quiet import check_quiet
    from tisserand.plugins.insights.record import day_of, record_visit, utcnow
    from tisserand.site import Site
    from tisserand.testing.client import TestClient
    from tisserand.testing.queries import count_queries
    from tisserand.web.app import create_app

    site = Site.load(folder)
    await site.start()
    app = create_app(site, run_scheduler=False)
    await execute("DELETE FROM insights_daily")
    await execute("DELETE FROM insights_alert")
    print(f"database: {site.settings.database_url.split(':')[0]}")
    await timed("aggregate, first run (every day of the year)", lambda: aggregate(site))
    await timed("aggregate, hourly run (yesterday and today)", lambda: aggregate(site), repeat=3)
    await timed("quiet check over all communities", lambda: check_quiet(site), repeat=3)

    admin = await Member.get(username="m0")
    community = await Community.get(slug="c0")
    member_id = (await fetch_one("SELECT member_id FROM membership WHERE community_id = ? LIMIT 1",
                                 [community.id]))["member_id"]
    reader = await Member.get(id=member_id)
    counter = iter(range(10**9))

    long_ago = utcnow() - timedelta(days=3000)

    async def miss() -> None:
        # A day not seen yet each time (far in the past): the insert is done.
        await record_visit(community.id, reader.id, at=long_ago - timedelta(days=next(counter)))

    await timed("record a reader, first page of the day (one insert)", miss, repeat=200)
    await timed("record a reader, next pages of the day (memory only)",
                lambda: record_visit(community.id, reader.id), repeat=2000)
    await execute("DELETE FROM insights_visit WHERE day < ?", [day_of(long_ago) + timedelta(days=1)])

    async with TestClient.for_app(app) as client:
        secret, _session = await open_session(site.settings, reader, "bench")
        client.cookies.set("tisserand_session", secret)
        url = f"/c/{community.slug}"

        async def page(path: str) -> None:
            response = await client.get(path)
            assert response.status_code == 200, (path, response.status_code)

        await page(url)
        # Alternate the two settings so that a busy machine slows both alike.
        samples: dict[bool, list[float]] = {True: [], False: []}
        for index in range(requests * 2):
            switched_on = index % 2 == 0
            await Community.filter(id=community.id).update(plugins=None if switched_on else [])
            started = time.perf_counter()
            await page(url)
            samples[switched_on].append((time.perf_counter() - started) * 1000)
        on, off = statistics.median(samples[True]), statistics.median(samples[False])
        print(f"{'community home, insights on':<58} {on:10.2f} ms  (median of {requests})")
        print(f"{'community home, insights off':<58} {off:10.2f} ms  (median of {requests})")
        print(f"{'  → cost of insights on a community page':<58} {on - off:10.2f} ms")
        await Community.filter(id=community.id).update(plugins=None)

        secret, _session = await open_session(site.settings, admin, "bench")
        client.cookies.set("tisserand_session", secret)
        await Community.filter(id=community.id).update(plugins=None)
        for label, path in (("insights page, 12 months", f"/c/{community.slug}/insights"),
                            ("insights page, 3 months", f"/c/{community.slug}/insights?weeks=12"),
                            ("weekly API, 52 weeks", f"/api/v1/communities/{community.slug}/insights/weekly?weeks=52"),
                            ("admin view, all communities", "/admin/insights")):
            await page(path)
            await timed(label, lambda path=path: page(path), repeat=max(requests // 5, 5))
            with count_queries() as queries:
                await page(path)
            print(f"{'  queries':<58} {len(queries):10d}")
    rows = await fetch_one("SELECT COUNT(*) AS n FROM insights_daily")
    print(f"daily rows: {rows['n']}, today: {day_of(utcnow())}")
    await site.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("folder", type=Path)
    parser.add_argument("--requests", type=int, default=100)
    args = parser.parse_args()
    asyncio.run(run(args.folder, args.requests))


if __name__ == "__main__":
    main()
