"""CPU time per request of the topic page, in-process (no network, no other process).

    .venv/bin/python benchmarks/forums/cpu.py /tmp/bench-forums

A steadier figure than requests per second on a busy machine: ``time.process_time`` counts only
this process's work, so other load on the machine does not move it much. ``BENCH_ROUNDS``
(3) interleaved rounds of 300 requests each; the best of each app is printed. Same apps and page as
``bench.py``; requests go through httpx's ASGI transport (its own cost is included for both).
"""

from __future__ import annotations

import asyncio
import logging
import os
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]
PATH = "/c/bench/forum/t/1-how-do-you-keep-a-community-alive"


async def cpu_ms(app: object, cookies: dict[str, str] | None = None, requests: int = 300) -> float:
    async with app.router.lifespan_context(app):  # type: ignore[attr-defined]
        transport = httpx.ASGITransport(app=app)  # type: ignore[arg-type]
        async with httpx.AsyncClient(transport=transport, base_url="http://bench", cookies=cookies) as client:
            for _ in range(30):
                assert (await client.get(PATH)).status_code == 200
            start = time.process_time()
            for _ in range(requests):
                await client.get(PATH)
            return (time.process_time() - start) / requests * 1000


def main() -> None:
    instance = Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/bench-forums").resolve()
    os.environ["TISSERAND_INSTANCE"] = str(instance)
    os.environ["BENCH_DB"] = str(instance / "data/site.sqlite3")
    sys.path.insert(0, str(ROOT))
    logging.getLogger("httpx").setLevel(logging.WARNING)  # a log line per request is not the page's cost
    from benchmarks.forums.bare_app import app as bare
    from tisserand.web.asgi import app as forum

    member = {"tisserand_session": (instance / "session.txt").read_text().strip()}
    runs: dict[str, list[float]] = {"bare": [], "anonymous": [], "member": []}
    for _ in range(int(os.environ.get("BENCH_ROUNDS", "3"))):  # interleaved, best of each
        runs["bare"].append(asyncio.run(cpu_ms(bare)))
        runs["anonymous"].append(asyncio.run(cpu_ms(forum)))
        runs["member"].append(asyncio.run(cpu_ms(forum, member)))
        print("round: " + ", ".join(f"{name} {values[-1]:.2f} ms" for name, values in runs.items()))
    bare_ms, anonymous_ms, member_ms = (min(values) for values in runs.values())
    print(f"CPU per request: bare {bare_ms:.2f} ms, anonymous {anonymous_ms:.2f} ms ({bare_ms / anonymous_ms:.0%} of bare's "
          f"rate), member {member_ms:.2f} ms ({bare_ms / member_ms:.0%})")


if __name__ == "__main__":
    main()
