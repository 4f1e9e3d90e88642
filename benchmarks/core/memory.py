"""Resident memory of one web process with every plugin on, after a burst of log-ins.

    .venv/bin/python benchmarks/web/generate.py /tmp/bench-web --items 10000 --plugins
    .venv/bin/python benchmarks/core/memory.py /tmp/bench-web [--logins 120] [--concurrency 16] [--hashes N]

Gives every member a password hash at the production argon2 cost (m = 64 MiB, t = 3: argon2
checks a password with the cost written in its hash, so the generator's cheap hashes would
cost nothing), serves the instance with uvicorn (one process, uvloop + httptools) and that
cost, then reports RSS after start-up and a few pages; during (sampled every 10 ms, and the
kernel's high-water mark) and after a burst of log-ins (``--concurrency`` at a time, the 60
generated members in turn), each followed by the home feed and a community page; and after
``--reading`` seconds of a member reading pages. ``--hashes`` sets ``[auth]
max_concurrent_hashes`` for the run (default: the site's). Goal: ≤ 100 MiB in steady state.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx

from tisserand.testing.live import free_port

PASSWORD = "correct-horse-battery"
TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def rss_mib(pid: int, field: str = "VmRSS") -> float:
    """Resident set size of ``pid`` in MiB (``VmHWM``: its highest so far)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return 0.0


class Sampler(threading.Thread):
    """The highest RSS of ``pid`` seen, sampled every 10 ms until stopped."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.peak, self.done = pid, 0.0, threading.Event()

    def run(self) -> None:
        while not self.done.wait(0.01):
            self.peak = max(self.peak, rss_mib(self.pid))


async def production_hashes(instance: Path) -> None:
    """Every member's password hashed at the production cost (one hash, shared)."""
    from argon2 import PasswordHasher

    from tisserand.models import Member
    from tisserand.site import Site

    site = Site.load(instance)
    await site.start()
    try:
        password_hash = PasswordHasher(time_cost=3, memory_cost=65_536, parallelism=1).hash(PASSWORD)
        await Member.all().update(password_hash=password_hash)
    finally:
        await site.stop()


async def member_visit(base: str, number: int) -> None:
    async with httpx.AsyncClient(base_url=base, timeout=120) as client:
        form = await client.get("/login")
        token = TOKEN.search(form.text)
        response = await client.post("/login", data={"login": f"member{number}", "password": PASSWORD,
                                                     "csrf_token": token.group(1) if token else ""})
        assert response.status_code in (302, 303), (response.status_code, response.text[:300])
        for path in ("/", "/c/communaute-0", "/c/communaute-1"):
            await client.get(path)


async def burst(base: str, logins: int, concurrency: int) -> None:
    """Log members in, ``concurrency`` at a time."""
    gate = asyncio.Semaphore(concurrency)

    async def one(number: int) -> None:
        async with gate:
            await member_visit(base, number % 60)

    await asyncio.gather(*(one(n) for n in range(logins)))


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
    parser.add_argument("--hashes", type=int, help="[auth] max_concurrent_hashes for this run")
    args = parser.parse_args()
    instance = Path(args.instance).resolve()
    asyncio.run(production_hashes(instance))
    port = free_port()
    env = {**os.environ, "TISSERAND_INSTANCE": str(instance),
           "TISSERAND_AUTH__ARGON2_MEMORY_KIB": "65536", "TISSERAND_AUTH__ARGON2_TIME_COST": "3"}
    if args.hashes:
        env["TISSERAND_AUTH__MAX_CONCURRENT_HASHES"] = str(args.hashes)
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
        before = rss_mib(server.pid, "VmHWM")
        sampler = Sampler(server.pid)
        sampler.start()
        start = time.monotonic()
        asyncio.run(burst(base, args.logins, args.concurrency))
        sampler.done.set()
        sampler.join()
        wall = time.monotonic() - start
        print(f"burst of {args.logins} log-ins ({args.concurrency} at a time, hashes at once: "
              f"{args.hashes or 'site default'}): {wall:.1f} s ({args.logins / wall:.1f} log-ins/s); "
              f"peak {sampler.peak:.0f} MiB sampled, high-water mark {before:.0f} -> "
              f"{rss_mib(server.pid, 'VmHWM'):.0f} MiB; right after {rss_mib(server.pid):.0f} MiB")
        pages = asyncio.run(reading(base, args.reading))
        print(f"after {args.reading:.0f} s of reading ({pages} pages): {rss_mib(server.pid):.0f} MiB (steady state)")
    finally:
        server.terminate()
        server.wait(10)


if __name__ == "__main__":
    main()
