"""Requests per second of the forum's topic page against the bare yardstick, one process each.

    .venv/bin/python benchmarks/forums/bench.py /tmp/bench-forums /c/bench/forum/t/1-how-do-you-keep-a-community-alive

Starts uvicorn (one process, uvloop + httptools) for Tisserand (forums only) and for
``bare_app.py``, warms each up, then loads it from a loopback asyncio client for a fixed time,
and prints both figures and the ratio. The client is ``benchmarks/loadgen.py`` (raw keep-alive
connections, the least CPU per answer); ``BENCH_CLIENT=httpx`` uses httpx instead, as before.
"""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "16"))
SECONDS = float(os.environ.get("BENCH_SECONDS", "15"))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def serve(app: str, env: dict[str, str]) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", app, "--host", "127.0.0.1", "--port", str(port), "--workers", "1",
         "--loop", "uvloop", "--http", "httptools", "--no-access-log", "--log-level", "warning"],
        cwd=ROOT, env={**os.environ, **env})
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            httpx.get(url + "/", timeout=1)
            return process, url
        except httpx.HTTPError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError(f"{app} did not start")


CLIENT = os.environ.get("BENCH_CLIENT", "raw")


def load_with_client(url: str, seconds: float, cookies: dict[str, str] | None = None) -> tuple[float, int, list[float]]:
    """Load ``url`` for ``seconds`` with the chosen client; (req/s, errors, latencies)."""
    if CLIENT == "httpx":
        return asyncio.run(load(url, seconds, cookies))
    sys.path.insert(0, str(ROOT))
    from benchmarks import loadgen

    return loadgen.run(loadgen.load(url, seconds, cookies, CONNECTIONS))  # type: ignore[return-value]


async def load(url: str, seconds: float, cookies: dict[str, str] | None = None) -> tuple[float, int, list[float]]:
    done = 0
    errors = 0
    latencies: list[float] = []
    limits = httpx.Limits(max_connections=CONNECTIONS, max_keepalive_connections=CONNECTIONS)
    async with httpx.AsyncClient(limits=limits, timeout=30, cookies=cookies) as client:
        end = time.perf_counter() + seconds

        async def worker() -> None:
            nonlocal done, errors
            while time.perf_counter() < end:
                sent = time.perf_counter()
                response = await client.get(url)
                latencies.append(time.perf_counter() - sent)
                if response.status_code == 200:
                    done += 1
                else:
                    errors += 1

        start = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(CONNECTIONS)))
        elapsed = time.perf_counter() - start
    return done / elapsed, errors, latencies


def percentile(values: list[float], fraction: float) -> float:
    """The ``fraction`` quantile of ``values`` (nearest rank), in milliseconds."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] * 1000 if ordered else 0.0


LATENCY: dict[str, list[tuple[float, float]]] = {}


def measure(app: str, env: dict[str, str], path: str, cookies: dict[str, str] | None = None,
            label: str = "") -> float:
    process, url = serve(app, env)
    try:
        page = httpx.get(url + path, timeout=10, cookies=cookies)
        assert page.status_code == 200, page.status_code
        posts = page.text.count('<li id="p')
        print(f"{app}: {len(page.content)} bytes, {posts} posts")
        load_with_client(url + path, 3, cookies)  # warm-up
        rate, errors, latencies = load_with_client(url + path, SECONDS, cookies)
        assert errors == 0, f"{errors} failed requests"
        LATENCY.setdefault(label or app, []).append((percentile(latencies, 0.5), percentile(latencies, 0.99)))
        return rate
    finally:
        process.terminate()
        process.wait(10)


def main() -> None:
    instance = Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/bench-forums").resolve()
    path = sys.argv[2] if len(sys.argv) > 2 else "/c/bench/forum/t/1-how-do-you-keep-a-community-alive"
    rounds = int(os.environ.get("BENCH_ROUNDS", "2"))
    member = {"tisserand_session": (instance / "session.txt").read_text().strip()}
    env = {"TISSERAND_INSTANCE": str(instance)}
    bares, forums, members = [], [], []
    for _ in range(rounds):  # interleaved, best of each: the machine's other work affects all alike
        bares.append(measure("benchmarks.forums.bare_app:app", {"BENCH_DB": str(instance / "data/site.sqlite3")}, path,
                             label="bare"))
        forums.append(measure("tisserand.web.asgi:app", env, path, label="anonymous"))
        members.append(measure("tisserand.web.asgi:app", env, path, member, label="member"))
        print(f"round: bare {bares[-1]:.0f}, anonymous {forums[-1]:.0f}, member {members[-1]:.0f} req/s")
    bare, forum, logged = max(bares), max(forums), max(members)
    print(f"bare Starlette + Jinja2 + 1 query:      {bare:.0f} req/s")
    print(f"Tisserand topic page, anonymous reader: {forum:.0f} req/s ({forum / bare:.0%} of bare)")
    print(f"Tisserand topic page, logged-in member: {logged:.0f} req/s ({logged / bare:.0%} of bare)")
    for label, runs in LATENCY.items():  # the best round's latencies (lowest p99)
        p50, p99 = min(runs, key=lambda r: r[1])
        print(f"latency {label:9s}: p50 {p50:.0f} ms, p99 {p99:.0f} ms ({CONNECTIONS} connections)")


if __name__ == "__main__":
    main()
