"""Requests per second (one process) and SQL queries per page for the home feed and a
community page.

    .venv/bin/python benchmarks/web/generate.py /tmp/bench-web --items 10000
    .venv/bin/python benchmarks/web/bench.py /tmp/bench-web

Queries are counted in-process (``tisserand.testing.queries``) for an anonymous visitor and for
a logged-in reader who belongs to 12 communities. Then uvicorn serves the instance (one process,
uvloop + httptools) and an asyncio client (``benchmarks/loadgen.py``: raw keep-alive connections,
``BENCH_CONNECTIONS`` of them, default 16; ``BENCH_CLIENT=httpx`` for httpx, whose own CPU per
answer weighs on a 2-core machine) loads each page for ``BENCH_SECONDS`` (default 10) after a warm-up, interleaved with
the bare counterpart (``bare_app.py``, its own uvicorn process) for ``BENCH_ROUNDS`` rounds
(default 2), keeping the best of each.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "16"))
SECONDS = float(os.environ.get("BENCH_SECONDS", "10"))


async def count_queries_per_page(folder: Path, pages: list[str], secret: str) -> list[tuple[str, str, int, int]]:
    from tisserand.site import Site
    from tisserand.testing.client import TestClient
    from tisserand.testing.queries import count_queries
    from tisserand.web.app import create_app

    site = Site.load(folder)
    await site.start()
    rows = []
    try:
        async with TestClient.for_app(create_app(site, run_scheduler=False)) as client:
            for who in ("anonymous", "reader"):
                if who == "reader":
                    client.cookies.set("tisserand_session", secret)
                for path in pages:
                    await client.get(path)  # warm caches (templates, description HTML)
                    with count_queries() as queries:
                        response = await client.get(path)
                    assert response.status_code == 200, (path, response.status_code)
                    rows.append((who, path, len(queries), len(response.content)))
    finally:
        await site.stop()
    return rows


def serve(folder: Path, app: str = "tisserand.web.asgi:app") -> tuple[subprocess.Popen[bytes], str]:
    from tisserand.site import Site
    from tisserand.testing.live import free_port

    database = Site.load(folder).settings.database.url
    if database.startswith("sqlite://"):
        database = str(folder / database.removeprefix("sqlite://"))
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", app, "--host", "127.0.0.1", "--port", str(port),
         "--workers", "1", "--loop", "uvloop", "--http", "httptools", "--no-access-log", "--log-level", "warning"],
        cwd=ROOT, env={**os.environ, "TISSERAND_INSTANCE": str(folder), "BENCH_DB": database})
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            httpx.get(url + "/", timeout=5)
            return process, url
        except httpx.HTTPError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError("the server did not start")


def load_with_client(url: str, seconds: float, cookies: dict[str, str] | None) -> tuple[float, float, float, int]:
    """Load ``url`` for ``seconds`` with the chosen client; (req/s, p95, p99, errors)."""
    if os.environ.get("BENCH_CLIENT", "raw") == "httpx":
        return asyncio.run(load(url, seconds, cookies))
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    from benchmarks import loadgen

    rate, errors, latencies = loadgen.run(loadgen.load(url, seconds, cookies, CONNECTIONS))  # type: ignore[misc]
    latencies.sort()
    p95 = latencies[int(len(latencies) * 0.95)] if latencies else 0.0
    p99 = latencies[int(len(latencies) * 0.99)] if latencies else 0.0
    return rate, p95, p99, errors


async def load(url: str, seconds: float, cookies: dict[str, str] | None) -> tuple[float, float, float, int]:
    latencies: list[float] = []
    errors = 0
    limits = httpx.Limits(max_connections=CONNECTIONS, max_keepalive_connections=CONNECTIONS)
    async with httpx.AsyncClient(limits=limits, timeout=30, cookies=cookies) as client:
        end = time.perf_counter() + seconds

        async def worker() -> None:
            nonlocal errors
            while time.perf_counter() < end:
                began = time.perf_counter()
                response = await client.get(url)
                latencies.append(time.perf_counter() - began)
                if response.status_code != 200:
                    errors += 1

        start = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(CONNECTIONS)))
        elapsed = time.perf_counter() - start
    latencies.sort()
    p95 = latencies[int(len(latencies) * 0.95)] if latencies else 0.0
    p99 = latencies[int(len(latencies) * 0.99)] if latencies else 0.0
    return len(latencies) / elapsed, p95, p99, errors


def main() -> None:
    folder = Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/bench-web").resolve()
    secret = (folder / "session.txt").read_text().strip()
    slug = (folder / "community.txt").read_text().strip()
    pages = ["/", "/?scope=mine", "/?order=recent", f"/c/{slug}", "/c/"]
    print(f"instance: {folder}")
    print("\nSQL queries per page (in-process):")
    for who, path, queries, size in asyncio.run(count_queries_per_page(folder, pages, secret)):
        print(f"  {who:9} {path:22} {queries:2} queries  {size // 1024:4} KiB")
    process, url = serve(folder)
    bare, bare_url = serve(folder, "benchmarks.web.bare_app:app")
    rounds = int(os.environ.get("BENCH_ROUNDS", "2"))
    try:
        print(f"\nrequests per second, one process each, {CONNECTIONS} connections, best of {rounds} x "
              f"{SECONDS:.0f} s, interleaved (bare_app.py is the yardstick, for the reader):")
        runs = (("bare", bare_url, None), ("anonymous", url, None),
                ("reader", url, {"tisserand_session": secret}))
        for path in ("/", f"/c/{slug}"):
            best: dict[str, tuple[float, float, float, int]] = {}
            for _round in range(rounds):
                for who, base, cookies in runs:
                    load_with_client(base + path, 2, cookies)  # warm-up
                    result = load_with_client(base + path, SECONDS, cookies)
                    if who not in best or result[0] > best[who][0]:
                        best[who] = result
            for who, (rate, p95, p99, errors) in best.items():
                ratio = f"  ({rate / best['bare'][0]:4.0%} of bare)" if who != "bare" else ""
                print(f"  {who:9} {path:22} {rate:6.0f} req/s   p95 {p95 * 1000:5.0f} ms   p99 {p99 * 1000:5.0f} ms"
                      + ratio + (f"   {errors} errors" if errors else ""))
        print(f"load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    finally:
        for server in (process, bare):
            server.terminate()
            server.wait(10)


if __name__ == "__main__":
    main()
