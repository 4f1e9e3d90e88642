"""CPU time per request of the home feed and a community page, in-process, against the bare app.

    .venv/bin/python benchmarks/web/cpu.py /tmp/bench-web [--rounds 9] [--requests 100] [--profile member:/]

``time.process_time`` counts only this process's work, a steadier figure than requests per
second on a busy machine. Three apps on the same database — ``bare_app.py`` (the yardstick,
for the reader), Tisserand for an anonymous visitor, Tisserand for the signed-in reader — load
``/`` and ``/c/{slug}``, interleaved for ``--rounds`` rounds; the best round of each is kept and
the ratios printed (bare's CPU / Tisserand's: 50 % means half the bare app's rate). Requests go
through httpx's ASGI transport (its own cost is included for all three). ``--profile who:path``
prints a cProfile of that page instead (``who`` is ``anonymous`` or ``member``).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import cProfile
import logging
import os
import pstats
import statistics
import sys
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[2]


@contextlib.asynccontextmanager
async def client_for(app: Any, cookies: dict[str, str] | None) -> AsyncIterator[httpx.AsyncClient]:
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://bench", cookies=cookies) as client:
            yield client


async def cpu_ms(client: httpx.AsyncClient, path: str, requests: int) -> float:
    for _ in range(10):
        response = await client.get(path)
        assert response.status_code == 200, (path, response.status_code)
    start = time.process_time()
    for _ in range(requests):
        await client.get(path)
    return (time.process_time() - start) / requests * 1000


SPLIT: dict[str, float] = {}


def split_out(module: Any, name: str) -> None:
    """Count the CPU spent inside ``module.name`` (an async function) in ``SPLIT[name]``."""
    inner = getattr(module, name)

    async def timed(*args: Any, **kwargs: Any) -> Any:
        start = time.process_time()
        try:
            return await inner(*args, **kwargs)
        finally:
            SPLIT[name] = SPLIT.get(name, 0.0) + time.process_time() - start

    setattr(module, name, timed)


async def split_ms(client: httpx.AsyncClient, path: str, requests: int) -> dict[str, float]:
    """CPU per request inside the session read and the community's loading, and in total."""
    await cpu_ms(client, path, 5)
    SPLIT.clear()
    total = await cpu_ms(client, path, requests)
    return {"total": total, **{name: spent / (requests + 10) * 1000 for name, spent in SPLIT.items()}}


async def measure(bare: Any, tisserand: Any, member: dict[str, str], paths: list[str], rounds: int,
                  requests: int) -> tuple[dict[tuple[str, str], float], dict[tuple[str, str], list[float]]]:
    """The best CPU per request of each (who, path) and, per round, bare's CPU over each app's
    (measured back to back, so that a slow spell of a shared machine hits both alike)."""
    best: dict[tuple[str, str], float] = {}
    ratios: dict[tuple[str, str], list[float]] = {}
    async with client_for(bare, None) as b, client_for(tisserand, None) as anonymous, \
            client_for(tisserand, None) as signed_in:
        signed_in.cookies.update(member)
        clients = {"bare": b, "anonymous": anonymous, "member": signed_in}
        for _round in range(rounds):
            for path in paths:
                spent = {}
                for who, client in clients.items():
                    ms = spent[who] = await cpu_ms(client, path, requests)
                    best[who, path] = min(best.get((who, path), ms), ms)
                for who in ("anonymous", "member"):
                    ratios.setdefault((who, path), []).append(spent["bare"] / spent[who])
    return best, ratios


async def profile(tisserand: Any, member: dict[str, str], who: str, path: str, requests: int) -> None:
    async with client_for(tisserand, member if who == "member" else None) as client:
        await cpu_ms(client, path, 20)
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(requests):
            await client.get(path)
        profiler.disable()
    profiler.dump_stats(os.environ.get("BENCH_PROFILE_OUT", "/tmp/web-cpu.prof"))
    stats = pstats.Stats(profiler).strip_dirs().sort_stats("cumulative")
    stats.print_stats(45)
    stats.sort_stats("tottime").print_stats(25)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("folder", type=Path, nargs="?", default=Path("/tmp/bench-web"))
    parser.add_argument("--rounds", type=int, default=9)
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--split", action="store_true",
                        help="the member's CPU inside session_for and load_community (other helpers' part)")
    parser.add_argument("--profile", default="", help="who:path, e.g. member:/")
    args = parser.parse_args()
    instance = args.folder.resolve()
    os.environ["TISSERAND_INSTANCE"] = str(instance)
    sys.path.insert(0, str(ROOT))
    from tisserand.site import Site

    url = Site.load(instance).settings.database.url
    if url.startswith("sqlite://"):
        url = str(instance / url.removeprefix("sqlite://"))
    os.environ["BENCH_DB"] = url
    from benchmarks.web.bare_app import app as bare
    from tisserand.web.asgi import app as tisserand

    logging.getLogger("httpx").setLevel(logging.WARNING)  # one log line per request is not the page's cost

    member = {"tisserand_session": (instance / "session.txt").read_text().strip()}
    slug = (instance / "community.txt").read_text().strip()
    if args.profile:
        who, path = args.profile.split(":", 1)
        asyncio.run(profile(tisserand, member, who, path, args.requests))
        return
    paths = ["/", f"/c/{slug}"]
    if args.split:
        import importlib

        split_out(importlib.import_module("tisserand.web.security"), "session_for")
        split_out(importlib.import_module("tisserand.web.pages.communities"), "load_community")

        async def splits() -> None:
            async with client_for(tisserand, member) as client:
                for path in paths:
                    parts = await split_ms(client, path, args.requests)
                    print(f"  member {path:18} " + "   ".join(f"{k} {v:.2f} ms" for k, v in parts.items()))
        asyncio.run(splits())
        return
    best, ratios = asyncio.run(measure(bare, tisserand, member, paths, args.rounds, args.requests))
    print(f"{instance} ({url.split('://')[0] if '://' in url else 'sqlite'}), load average "
          f"{' '.join(f'{x:.1f}' for x in os.getloadavg())}; CPU ms per request, best of {args.rounds} rounds, "
          "then the median of the rounds' ratios [lowest–highest]:")
    for path in paths:
        bare_ms = best["bare", path]
        print(f"  {path:18} bare {bare_ms:5.2f}   anonymous {best['anonymous', path]:5.2f} "
              f"({bare_ms / best['anonymous', path]:4.0%})   member {best['member', path]:5.2f} "
              f"({bare_ms / best['member', path]:4.0%})")
        print(f"  {'':18} {'':10}   anonymous median {_spread(ratios['anonymous', path])}"
              f"   member median {_spread(ratios['member', path])}")


def _spread(values: list[float]) -> str:
    ordered = sorted(values)
    return f"{statistics.median(ordered):4.0%} [{ordered[0]:.0%}–{ordered[-1]:.0%}]"


if __name__ == "__main__":
    main()
