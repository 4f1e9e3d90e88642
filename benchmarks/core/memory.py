"""Resident memory of one web process with every plugin on, after a burst of log-ins.

    .venv/bin/python benchmarks/web/generate.py /tmp/bench-web --items 10000 --plugins
    .venv/bin/python benchmarks/core/memory.py /tmp/bench-web [--logins 120] [--concurrency 16]

Serves the instance with uvicorn (one process, uvloop + httptools) and the production argon2
cost (m = 64 MiB, t = 3: the generator's cheap hashes are rehashed at the first log-in), then:
RSS after start-up and a few pages; during and after a burst of log-ins (``--concurrency`` at a
time, the 60 generated members in turn), each followed by the home feed and a community page;
and after a minute of members reading pages. Goal: ≤ 100 MiB in steady state.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import httpx

from tisserand.testing.live import free_port

PASSWORD = "correct-horse-battery"
TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def rss_mib(pid: int) -> float:
    """Resident set size of ``pid`` in MiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


async def member_visit(base: str, number: int) -> None:
    async with httpx.AsyncClient(base_url=base, timeout=120) as client:
        form = await client.get("/login")
        token = TOKEN.search(form.text)
        response = await client.post("/login", data={"login": f"member{number}", "password": PASSWORD,
                                                     "csrf_token": token.group(1) if token else ""})
        assert response.status_code in (302, 303), (response.status_code, response.text[:300])
        for path in ("/", "/c/communaute-0", "/c/communaute-1"):
            await client.get(path)


async def burst(base: str, logins: int, concurrency: int, pid: int) -> float:
    """Log members in, ``concurrency`` at a time; the highest RSS seen."""
    gate = asyncio.Semaphore(concurrency)
    peak = 0.0

    async def one(number: int) -> None:
        nonlocal peak
        async with gate:
            await member_visit(base, number % 60)
            peak = max(peak, rss_mib(pid))

    await asyncio.gather(*(one(n) for n in range(logins)))
    return peak


async def reading(base: str, seconds: float) -> int:
    async with httpx.AsyncClient(base_url=base, timeout=60) as client:
        form = await client.get("/login")
        token = TOKEN.search(form.text)
        await client.post("/login", data={"login": "reader", "password": PASSWORD,
                                          "csrf_token": token.group(1) if token else ""})
        end, count = time.monotonic() + seconds, 0
        while time.monotonic() < end:
            for path in ("/", "/c/communaute-0", "/c/communaute-2", "/c/"):
                await client.get(path)
                count += 1
        return count


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("instance")
    parser.add_argument("--logins", type=int, default=120)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--reading", type=float, default=60)
    args = parser.parse_args()
    port = free_port()
    env = {**os.environ, "TISSERAND_INSTANCE": str(Path(args.instance).resolve()),
           "TISSERAND_AUTH__ARGON2_MEMORY_KIB": "65536", "TISSERAND_AUTH__ARGON2_TIME_COST": "3"}
    server = subprocess.Popen([sys.executable, "-m", "uvicorn", "tisserand.web.asgi:app", "--port", str(port),
                               "--loop", "uvloop", "--http", "httptools", "--no-access-log", "--log-level", "warning"],
                              env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                httpx.get(base + "/healthz", timeout=1)
                break
            except httpx.HTTPError:
                time.sleep(0.2)
        for path in ("/", "/c/communaute-0", "/c/"):
            httpx.get(base + path, timeout=30)
        print(f"after start-up and a few pages: {rss_mib(server.pid):.0f} MiB")
        start = time.monotonic()
        peak = asyncio.run(burst(base, args.logins, args.concurrency, server.pid))
        print(f"burst of {args.logins} log-ins ({args.concurrency} at a time, {time.monotonic() - start:.0f} s): "
              f"peak {peak:.0f} MiB, right after {rss_mib(server.pid):.0f} MiB")
        pages = asyncio.run(reading(base, args.reading))
        print(f"after {args.reading:.0f} s of reading ({pages} pages): {rss_mib(server.pid):.0f} MiB (steady state)")
    finally:
        server.terminate()
        server.wait(10)


if __name__ == "__main__":
    main()
