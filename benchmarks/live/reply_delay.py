"""Delay from posting a reply to its arrival at every connected client.

    .venv/bin/python benchmarks/live/reply_delay.py [--clients 1000] [--replies 5]
    .venv/bin/python benchmarks/live/reply_delay.py --database postgres://postgres@127.0.0.1:5432/bench_live

One uvicorn process, N clients following a public topic; each reply is posted through the API
and the time until each client gets its ``forum.reply`` event is recorded (p50, p95, max).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import statistics
import tempfile
import time
import urllib.request
from pathlib import Path

from common import RawSSE, free_port, make_instance, serve, stop


def _api(port: int, path: str, body: dict, token: str = "") -> dict:
    request = urllib.request.Request(f"http://127.0.0.1:{port}/api/v1{path}", data=json.dumps(body).encode(),
                                     headers={"Content-Type": "application/json",
                                              **({"Authorization": f"Bearer {token}"} if token else {})})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())


async def main(clients: int, replies: int, url: str) -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, max(soft, clients * 2 + 100)), hard))
    if url.startswith("postgres"):
        import asyncpg

        base, _, name = url.rpartition("/")
        admin = await asyncpg.connect(base.replace("postgres://", "postgresql://", 1) + "/postgres")
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.execute(f'CREATE DATABASE "{name}"')
        await admin.close()
    with tempfile.TemporaryDirectory() as tmp:
        folder, port = Path(tmp), free_port()
        env = make_instance(folder, port, url or "sqlite://data/bench.sqlite3", clients + 10)
        server = serve(env, port, folder / "server.log")
        try:
            loop = asyncio.get_running_loop()
            await loop.run_in_executor(None, _api, port, "/accounts",
                                       {"username": "bench", "email": "b@bench.test", "password": "bench-password-1"})
            token = (await loop.run_in_executor(None, _api, port, "/tokens",
                                                {"login": "bench", "password": "bench-password-1"}))["token"]
            await loop.run_in_executor(None, _api, port, "/communities", {"slug": "bench", "name": "Bench"}, token)
            topic = await loop.run_in_executor(None, _api, port, "/communities/bench/forum/topics",
                                               {"title": "Live", "body": "Follow me"}, token)
        except Exception as exc:
            stop(server)
            raise SystemExit(f"setup failed ({exc}): see server.log") from None
        try:
            followers = [RawSSE(port, f"topic:{topic['id']}") for _ in range(clients)]
            for start in range(0, clients, 100):
                await asyncio.gather(*[f.connect() for f in followers[start:start + 100]])
            tasks = [asyncio.create_task(f.listen()) for f in followers]
            delays: list[float] = []
            for n in range(replies):
                sent = time.perf_counter()
                await loop.run_in_executor(None, _api, port, f"/forum/topics/{topic['id']}/posts",
                                           {"body": f"Reply {n}"}, token)
                deadline = time.perf_counter() + 30
                while sum(len(f.received) > n for f in followers) < clients and time.perf_counter() < deadline:
                    await asyncio.sleep(0.01)
                delays += [f.received[n] - sent for f in followers if len(f.received) > n]
                await asyncio.sleep(0.5)
            for task in tasks:
                task.cancel()
            delays.sort()
            p95 = delays[int(len(delays) * 0.95) - 1] if delays else float("nan")
            print(f"{clients} clients × {replies} replies ({'PostgreSQL' if url else 'SQLite'}): "
                  f"{len(delays)} deliveries, p50 {statistics.median(delays) * 1000:.0f} ms, "
                  f"p95 {p95 * 1000:.0f} ms, max {delays[-1] * 1000:.0f} ms")
        finally:
            stop(server)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=100)
    parser.add_argument("--replies", type=int, default=3)
    parser.add_argument("--database", default="")
    args = parser.parse_args()
    asyncio.run(main(args.clients, args.replies, args.database))
