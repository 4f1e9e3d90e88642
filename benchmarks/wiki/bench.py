"""Page views and saves of a wiki page with 1,000 revisions, over HTTP, one server process.

    .venv/bin/python benchmarks/wiki/bench.py /tmp/bench-wiki

Starts uvicorn (one process, uvloop + httptools) on an instance made by ``generate.py``, then:

1. loads each page for a fixed time from 16 keep-alive connections and prints requests per
   second: the 1,000-revision page, a one-revision page, the first page of the history, a diff;
2. saves the big page and the small one one after the other through the API
   (``PUT .../wiki/pages/{path}`` with ``base_revision``) and prints the latency (median, p95);
3. lets 8 clients race to save the same base revision, 20 rounds, and checks that each round
   has exactly one winner and that no save was lost.
"""

from __future__ import annotations

import asyncio
import os
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "16"))
SECONDS = float(os.environ.get("BENCH_SECONDS", "10"))
SAVES = int(os.environ.get("BENCH_SAVES", "100"))
API = "/api/v1/communities/bench/wiki/pages/"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def serve(instance: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "tisserand.web.asgi:app", "--host", "127.0.0.1", "--port", str(port),
         "--workers", "1", "--loop", "uvloop", "--http", "httptools", "--no-access-log", "--log-level", "warning"],
        cwd=ROOT, env={**os.environ, "TISSERAND_INSTANCE": str(instance)})
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            httpx.get(url + "/healthz", timeout=1)
            return process, url
        except httpx.HTTPError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError("the server did not start")


async def load(url: str, seconds: float) -> float:
    done = errors = 0
    limits = httpx.Limits(max_connections=CONNECTIONS, max_keepalive_connections=CONNECTIONS)
    async with httpx.AsyncClient(limits=limits, timeout=30) as client:
        end = time.perf_counter() + seconds

        async def worker() -> None:
            nonlocal done, errors
            while time.perf_counter() < end:
                response = await client.get(url)
                if response.status_code == 200:
                    done += 1
                else:
                    errors += 1

        start = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(CONNECTIONS)))
        elapsed = time.perf_counter() - start
    assert errors == 0, f"{errors} failed requests on {url}"
    return done / elapsed


async def saves(client: httpx.AsyncClient, path: str, count: int) -> list[float]:
    page = (await client.get(API + path)).json()
    revision, title, text = page["revision"], page["title"], page["body"]
    timings = []
    for n in range(count):
        started = time.perf_counter()
        response = await client.put(API + path, json={
            "title": title, "body": text + f"\nAjout {n}.", "base_revision": revision, "summary": f"bench {n}"})
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.text
        revision = response.json()["revision"]
    return timings


async def races(client: httpx.AsyncClient, path: str, rounds: int = 20, racers: int = 8) -> tuple[int, int]:
    wins = conflicts = 0
    for round_number in range(rounds):
        base = (await client.get(API + path)).json()
        answers = await asyncio.gather(*(client.put(API + path, json={
            "title": base["title"], "body": base["body"] + f"\nCourse {round_number}, coureur {n}.",
            "base_revision": base["revision"]}) for n in range(racers)))
        codes = sorted(a.status_code for a in answers)
        assert codes.count(200) == 1 and codes.count(409) == racers - 1, codes
        wins += 1
        conflicts += racers - 1
        after = (await client.get(API + path)).json()
        assert after["revision"] == base["revision"] + 1
    return wins, conflicts


def describe(name: str, timings: list[float]) -> str:
    ordered = sorted(timings)
    p95 = ordered[int(len(ordered) * 0.95) - 1]
    return f"{name}: median {statistics.median(ordered):.1f} ms, p95 {p95:.1f} ms ({1000 / statistics.mean(ordered):.0f} saves/s)"


async def write_phase(url: str, token: str) -> None:
    headers = {"Authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(base_url=url, headers=headers, timeout=30) as client:
        big = await saves(client, "guide/accueil", SAVES)
        small = await saves(client, "petite", SAVES)
        print(describe("save, page with 1,000+ revisions", big))
        print(describe("save, page with 1 revision     ", small))
        wins, conflicts = await races(client, "guide/accueil")
        print(f"races: 20 rounds of 8 concurrent saves on one base revision -> {wins} saved, "
              f"{conflicts} answered 409, 0 lost")


def main() -> None:
    instance = Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/bench-wiki").resolve()
    token = (instance / "bench-token.txt").read_text(encoding="utf-8").strip()
    process, url = serve(instance)
    try:
        pages = {
            "page view, 1,000 revisions": "/c/bench/wiki/guide/accueil",
            "page view, 1 revision     ": "/c/bench/wiki/petite",
            "history (latest 50)       ": "/c/bench/wiki/guide/accueil/history",
            "history (oldest 50)       ": "/c/bench/wiki/guide/accueil/history?before=51",
            "diff 999 -> 1000          ": "/c/bench/wiki/guide/accueil/diff?from=999&to=1000",
        }
        for name, path in pages.items():
            asyncio.run(load(url + path, 2))  # warm-up
            print(f"{name}: {asyncio.run(load(url + path, SECONDS)):.0f} req/s", flush=True)
        asyncio.run(write_phase(url, token))
    finally:
        process.terminate()
        process.wait(10)


if __name__ == "__main__":
    main()
