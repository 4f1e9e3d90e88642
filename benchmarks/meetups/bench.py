"""Time "near me" and the map data endpoints on an instance made by ``generate.py``.

    .venv/bin/python benchmarks/meetups/bench.py /tmp/bench-meetups [--runs 300]

Measures, in one process (wall-clock and CPU time: on a shared machine the CPU time says more): the ``near()`` query (25 and 50 km, an anonymous visitor and a member
of 10 communities) around random points near the generator's cities; the same through the
API (``/api/v1/meetups/near``, full ASGI stack in-process: sessions, JSON); the map data
(``/map.geojson`` without and with a bounding box, a community's ``map.geojson``). Prints the
median, 95th percentile and the number of results, then SQLite's query plan for "near me".
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from benchmarks.meetups.generate import CITIES


def report(name: str, timings: list[float], cpu: list[float], sizes: list[int]) -> None:
    """One line: wall-clock median and p95, CPU median (ms), the mean number of results."""
    ordered = sorted(timings)
    p95 = ordered[int(len(ordered) * 0.95) - 1]
    print(f"{name:<46} median {statistics.median(ordered) * 1000:7.2f} ms   p95 {p95 * 1000:7.2f} ms   "
          f"cpu {statistics.median(cpu) * 1000:7.2f} ms   results {statistics.mean(sizes):7.1f}")


async def timed(runs: int, call: Callable[[int], Awaitable[int]]) -> tuple[list[float], list[float], list[int]]:
    """Run ``call(i)`` ``runs`` times (after 5 warm-ups): wall-clock and CPU seconds of this
    process (all its threads, SQLite's included; not PostgreSQL's server), result sizes."""
    for index in range(5):
        await call(index)
    timings, cpu, sizes = [], [], []
    for index in range(runs):
        started, started_cpu = time.perf_counter(), time.process_time()
        size = await call(index)
        timings.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
        sizes.append(size)
    return timings, cpu, sizes


async def main(instance: Path, runs: int) -> None:
    import httpx

    from tisserand.auth import open_session
    from tisserand.db import dialect, fetch_all, sql
    from tisserand.models import Member
    from tisserand.plugins.meetups.queries import near
    from tisserand.site import Site
    from tisserand.web.app import create_app
    from tisserand.web.security import SESSION_COOKIE

    site = Site.load(instance)
    await site.start()
    try:
        rng = random.Random(7)
        points = []
        for _ in range(runs + 5):
            _name, lat, lon = rng.choice(CITIES)
            points.append((lat + rng.uniform(-0.2, 0.2), lon + rng.uniform(-0.2, 0.2)))
        member = await Member.get(username="bench")
        total = (await fetch_all("SELECT COUNT(*) AS n FROM meetups_meetup"))[0]["n"]
        print(f"{dialect()}: {total} meet-ups, {runs} runs each\n")

        for km in (25, 50):
            for label, viewer in (("anonymous", None), ("member of 10", member)):
                async def call(i: int, km: int = km, viewer: Any = viewer) -> int:
                    return len(await near(viewer, *points[i], km, limit=50))

                report(f"near() {km} km, {label}", *await timed(runs, call))

        app = create_app(site, run_scheduler=False)
        secret, _session = await open_session(site.settings, member, "bench")
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://bench",
                                     cookies={SESSION_COOKIE: secret}) as client:
            async def api(i: int) -> int:
                lat, lon = points[i]
                response = await client.get(f"/api/v1/meetups/near?lat={lat}&lon={lon}&km=50")
                return len(response.json()["items"])

            report("GET /api/v1/meetups/near 50 km (member)", *await timed(runs, api))

            async def site_map(i: int) -> int:
                return len((await client.get("/map.geojson")).json()["features"])

            report("GET /map.geojson (no bbox, capped at 1000)", *await timed(max(20, runs // 5), site_map))

            async def site_map_bbox(i: int) -> int:
                lat, lon = points[i]
                bbox = f"{lon - 0.7},{lat - 0.5},{lon + 0.7},{lat + 0.5}"
                return len((await client.get(f"/map.geojson?bbox={bbox}")).json()["features"])

            report("GET /map.geojson?bbox= (about 110 x 100 km)", *await timed(runs, site_map_bbox))

            async def community_map(i: int) -> int:
                return len((await client.get(f"/c/c{i % 10:03d}/map.geojson")).json()["features"])

            report("GET /c/{slug}/map.geojson (500 meet-ups each)", *await timed(runs, community_map))

        if dialect() == "sqlite":
            from tisserand.plugins.meetups.geo import bounding_box
            from tisserand.visibility import readable_community_ids_sql

            box_sql, params = bounding_box(45.76, 4.84, 50).sql("m.latitude", "m.longitude")
            visible, visible_params = readable_community_ids_sql(member)
            plan = await fetch_all(sql(
                "EXPLAIN QUERY PLAN SELECT m.id, m.latitude, m.longitude, cm.plugins FROM meetups_meetup m "
                "JOIN community cm ON cm.id = m.community_id "
                f"WHERE {box_sql} AND m.ends_at > ? AND m.cancelled = ? AND cm.status = 'active' AND {visible}"),
                [*params, "2000-01-01", False, *visible_params])
            print("\nSQLite plan for near()'s candidates:")
            for row in plan:
                print("  ", row["detail"])
    finally:
        await site.stop()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("instance", type=Path)
    parser.add_argument("--runs", type=int, default=300)
    arguments = parser.parse_args()
    asyncio.run(main(arguments.instance.resolve(), arguments.runs))
