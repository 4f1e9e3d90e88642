"""Memory per idle live-event connection on one web process.

    .venv/bin/python benchmarks/live/memory.py [--connections 2000]

Serves a fresh SQLite instance with uvicorn, opens N idle ``/api/v1/events`` connections and
reads the process's resident memory before and after.
"""

from __future__ import annotations

import argparse
import asyncio
import resource
import tempfile
import time
from pathlib import Path

from common import RawSSE, free_port, make_instance, rss_kib, serve, stop


async def main(connections: int) -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, max(soft, connections * 2 + 100)), hard))
    with tempfile.TemporaryDirectory() as tmp:
        folder, port = Path(tmp), free_port()
        env = make_instance(folder, port, "sqlite://data/bench.sqlite3", connections + 10)
        server = serve(env, port, folder / "server.log")
        try:
            warm = RawSSE(port, "topic:1")
            await warm.connect()
            warm.close()
            await asyncio.sleep(1)
            before = rss_kib(server.pid)
            clients = [RawSSE(port, "topic:1") for _ in range(connections)]
            started = time.perf_counter()
            for start in range(0, connections, 100):
                await asyncio.gather(*[c.connect() for c in clients[start:start + 100]])
            opened = time.perf_counter() - started
            await asyncio.sleep(2)
            after = rss_kib(server.pid)
            print(f"{connections} idle connections opened in {opened:.1f}s; server RSS {before / 1024:.1f} → "
                  f"{after / 1024:.1f} MiB: {(after - before) / connections:.1f} KiB per connection")
            for c in clients:
                c.close()
        finally:
            stop(server)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--connections", type=int, default=200)
    asyncio.run(main(parser.parse_args().connections))
