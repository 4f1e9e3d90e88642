"""What a web process has loaded once started, and what it weighs (issue 23).

    .venv/bin/python benchmarks/core/imports.py /tmp/bench-web [--queue]

Imports the ASGI app as ``uvicorn tisserand.web.asgi:app`` does, runs its start-up (lifespan)
on uvloop, and prints the resident memory after each step and the top-level packages loaded
by the app. ``--queue`` then builds and opens the site's job queue, as the first job a web
process defers would (on PostgreSQL: procrastinate and psycopg). Look for who imports a
package with ``python -X importtime benchmarks/core/imports.py … 2> imports.txt``.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from pathlib import Path
from typing import Any


def rss_mib() -> float:
    """This process's resident set size in MiB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


async def start(app: Any) -> tuple[asyncio.Queue[dict[str, str]], asyncio.Task[None]]:
    """Run the app's lifespan start-up; the queue and task to shut it down."""
    inbox: asyncio.Queue[dict[str, str]] = asyncio.Queue()
    started = asyncio.Event()
    await inbox.put({"type": "lifespan.startup"})

    async def send(message: dict[str, Any]) -> None:
        if message["type"].startswith("lifespan.startup"):
            if message["type"] != "lifespan.startup.complete":
                raise SystemExit(f"start-up failed: {message}")
            started.set()

    task = asyncio.create_task(app({"type": "lifespan", "asgi": {"version": "3.0"}, "state": {}}, inbox.get, send))
    await started.wait()
    return inbox, task


async def main(args: argparse.Namespace) -> None:
    import tisserand.web.asgi as asgi

    print(f"app imported: {rss_mib():.1f} MiB")
    inbox, task = await start(asgi.app)
    print(f"started: {rss_mib():.1f} MiB")
    packages = sorted({name.split(".")[0] for name in set(sys.modules) - BEFORE if not name.startswith("_")})
    print(f"packages loaded by the app ({len(packages)}): {' '.join(packages)}")
    if args.queue:
        queue = asgi._site.jobs
        if hasattr(queue, "_ensure_open"):
            await queue._ensure_open()
        print(f"job queue ({getattr(queue, 'backend', type(queue).__name__)}) open: {rss_mib():.1f} MiB")
    await inbox.put({"type": "lifespan.shutdown"})
    await task
    await asyncio.sleep(0.2)  # let aiosqlite's thread hand back its last answer before the loop closes


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("instance")
    parser.add_argument("--queue", action="store_true", help="also open the job queue")
    arguments = parser.parse_args()
    os.environ["TISSERAND_INSTANCE"] = str(Path(arguments.instance).resolve())
    print(f"python: {rss_mib():.1f} MiB")
    import httptools  # noqa: F401
    import uvicorn  # noqa: F401
    import uvloop

    print(f"uvicorn, uvloop, httptools: {rss_mib():.1f} MiB")
    BEFORE = set(sys.modules)
    uvloop.run(main(arguments))
