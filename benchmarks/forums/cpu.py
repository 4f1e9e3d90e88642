"""CPU time per request of the topic page, in-process (no network, no other process).

    .venv/bin/python benchmarks/forums/cpu.py /tmp/bench-forums

A steadier figure than requests per second on a busy machine: ``time.process_time`` counts only
this process's work, so other load on the machine does not move it much. Same apps and page as
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
    bare_ms = asyncio.run(cpu_ms(bare))
    anonymous_ms = asyncio.run(cpu_ms(forum))
    member_ms = asyncio.run(cpu_ms(forum, member))
    print(f"CPU per request: bare {bare_ms:.2f} ms, anonymous {anonymous_ms:.2f} ms ({bare_ms / anonymous_ms:.0%} of bare's "
          f"rate), member {member_ms:.2f} ms ({bare_ms / member_ms:.0%})")


if __name__ == "__main__":
    main()
