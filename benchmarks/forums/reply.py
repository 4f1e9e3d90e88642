"""Cost of posting a reply, against a bare write, in-process (no network), SQLite.

    .venv/bin/python benchmarks/forums/reply.py /tmp/bench-forums [replies per round]
    BENCH_WRITERS=8 .venv/bin/python benchmarks/forums/reply.py /tmp/bench-forums-pg 160   # PostgreSQL

Posts the reply form as the benchmark member (session cookie, CSRF token) to the topic of
``generate.py`` and, interleaved, to the bare app's write (``bare_app.reply``: markdown-it +
nh3, three statements in one transaction). Each round posts ``replies`` to each; prints wall
time and CPU time per reply (best round), the statements per reply, and checks the count does
not grow with the topic (the topic grows by every reply posted). The instance's topic grows:
use a copy of the instance if the page benchmark must stay at 50 replies.
"""

from __future__ import annotations

import asyncio
import os
import re
import statistics
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]
TOPIC = "/c/bench/forum/t/1-how-do-you-keep-a-community-alive"
REPLY = "/c/bench/forum/t/1/reply"
BODY = "Thanks, **that helps**: we tried [the notes](https://example.org/notes) too.\n\n> rhythm matters"


class AnswerClock:
    """Wraps an ASGI app and notes when the last byte of each answer is handed over: the time
    the writer waits (work queued for after the answer runs later, as under uvicorn)."""

    def __init__(self, app: object) -> None:
        self.app = app
        self.answered: dict[bytes, float] = {}

    async def __call__(self, scope: dict, receive: object, send: object) -> None:
        key = dict(scope["headers"]).get(b"x-bench-id", b"")

        async def timed_send(message: dict) -> None:
            if message["type"] == "http.response.body" and not message.get("more_body"):
                self.answered[key] = time.perf_counter()
            await send(message)  # type: ignore[operator]

        await self.app(scope, receive, timed_send)  # type: ignore[operator]


WAITS: dict[str, list[float]] = {}


async def post_replies(client: httpx.AsyncClient, clock: AnswerClock, count: int, csrf: str,
                       writers: int = 1, label: str = "") -> tuple[float, float]:
    """Median milliseconds to the answer, and CPU milliseconds per reply (everything, after-answer
    work included), over ``count`` replies posted by ``writers`` concurrent writers."""
    waits: list[float] = []
    cpu = time.process_time()

    async def writer(index: int) -> None:
        for number in range(count // writers):
            key = f"{index}-{number}".encode()
            sent = time.perf_counter()
            response = await client.post(REPLY, data={"body": BODY, "action": "post", "csrf_token": csrf},
                                         headers={"x-bench-id": key.decode()})
            waits.append(clock.answered.pop(key) - sent)
            assert response.status_code == 303, response.status_code

    await asyncio.gather(*(writer(i) for i in range(writers)))
    if label:
        WAITS.setdefault(label, []).extend(waits)
    return (statistics.median(waits) * 1000, (time.process_time() - cpu) / len(waits) * 1000)


async def main_async(instance: Path, count: int, rounds: int, writers: int) -> None:
    from benchmarks.forums.bare_app import app as bare
    from tisserand.testing.queries import count_queries
    from tisserand.web.asgi import app as forum

    cookies = {"tisserand_session": (instance / "session.txt").read_text().strip()}
    results: dict[str, list[tuple[float, float]]] = {"bare": [], "tisserand": []}
    statements: list[int] = []
    async with forum.router.lifespan_context(forum), bare.router.lifespan_context(bare):
        our_clock, their_clock = AnswerClock(forum), AnswerClock(bare)
        ours = httpx.AsyncClient(transport=httpx.ASGITransport(app=our_clock), base_url="http://bench",  # type: ignore[arg-type]
                                 cookies=cookies)
        theirs = httpx.AsyncClient(transport=httpx.ASGITransport(app=their_clock), base_url="http://bench")  # type: ignore[arg-type]
        page = await ours.get(TOPIC)
        found = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
        assert found, "no CSRF token on the page: is the member signed in?"
        csrf = found.group(1)
        await post_replies(ours, our_clock, 5, csrf)
        await post_replies(theirs, their_clock, 5, "")
        for _ in range(rounds):
            results["bare"].append(await post_replies(theirs, their_clock, count, "", writers, "bare"))
            results["tisserand"].append(await post_replies(ours, our_clock, count, csrf, writers, "tisserand"))
            with count_queries() as queries:
                await post_replies(ours, our_clock, 1, csrf)
            # periodic work that a reply may meet (the in-process job queue's claims, the pruning
            # of old live events every 200 events) is not the reply's own
            statements.append(sum(1 for q in queries.statements
                                  if '"job_queue"' not in q and 'DELETE FROM "live_event"' not in q))
            print(f"round: bare {results['bare'][-1][0]:.2f} ms, tisserand {results['tisserand'][-1][0]:.2f} ms "
                  f"to the answer (median); {statements[-1]} statements", flush=True)
        await ours.aclose()
        await theirs.aclose()
    bare_wall, bare_cpu = min(results["bare"])
    our_wall, our_cpu = min(results["tisserand"])
    print(f"bare write:      {bare_wall:.2f} ms to the answer, {bare_cpu:.2f} ms CPU per reply (3 statements)")
    print(f"tisserand reply: {our_wall:.2f} ms to the answer, {our_cpu:.2f} ms CPU per reply "
          f"({bare_wall / our_wall:.2f}x bare's answer time, {bare_cpu / our_cpu:.2f}x bare's CPU); "
          f"statements per reply {statements} (the topic grew by {(count + 1) * rounds} replies meanwhile)")
    for label, waits in WAITS.items():
        ordered = sorted(waits)
        print(f"{label}: to the answer p50 {statistics.median(ordered) * 1000:.1f} ms, "
              f"p95 {ordered[int(0.95 * len(ordered))] * 1000:.1f} ms, {writers} concurrent writer(s)")
    assert max(statements) - min(statements) <= 2, "statements per reply changed with the topic's size (beyond the session stamp and job claims)"


def main() -> None:
    instance = Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/bench-forums").resolve()
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 100
    os.environ["TISSERAND_INSTANCE"] = str(instance)
    config = (instance / "tisserand.toml").read_text(encoding="utf-8")
    found = re.search(r'url = "(postgres[^"]+)"', config)
    os.environ["BENCH_DB"] = found.group(1) if found else str(instance / "data/site.sqlite3")
    sys.path.insert(0, str(ROOT))
    import logging

    logging.getLogger("httpx").setLevel(logging.WARNING)
    asyncio.run(main_async(instance, count, int(os.environ.get("BENCH_ROUNDS", "3")),
                           int(os.environ.get("BENCH_WRITERS", "1"))))


if __name__ == "__main__":
    main()
