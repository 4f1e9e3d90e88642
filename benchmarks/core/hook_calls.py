"""Cost of one hook call with every installed plugin enabled (a real site on a temporary SQLite).

    .venv/bin/python benchmarks/core/hook_calls.py

For each hook: the time of the relay call plus awaiting what the implementations return (some
plugins answer with a coroutine that reads the database: that is part of the cost a page pays).
"""

from __future__ import annotations

import asyncio
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from tisserand.migrate import apply_migrations
from tisserand.plugin_manager import Plugins, installed_plugins, resolve_all
from tisserand.site import Site
from tisserand.testing.factory import Factory
from tisserand.testing.fixtures import make_settings


async def per_call_us(call: Callable[[], Awaitable[Any]], number: int = 2000) -> float:
    """Median over 5 rounds of the time per awaited call, in microseconds."""
    rounds = []
    for _ in range(5):
        start = time.perf_counter()
        for _ in range(number):
            await call()
        rounds.append((time.perf_counter() - start) / number * 1e6)
    return statistics.median(rounds)


async def main() -> None:
    folder = Path(tempfile.mkdtemp())
    settings = make_settings(folder, f"sqlite://{folder}/bench.sqlite3", sorted(installed_plugins()))
    plugins = Plugins(settings).load()
    await apply_migrations(settings, plugins)
    site = await Site(settings, plugins).start()
    factory = Factory(site)
    member = await factory.member("bench")
    community = await factory.community("bench", coordinator=member)
    content = await factory.content(community, member, kind="forum.post", body="hello")
    relay = site.plugins.for_community(community)
    print(f"plugins enabled: {', '.join(site.plugins.enabled)}")
    print(f"{'hook (all implementations, awaited)':<44}{'µs per call':>12}")
    rows: dict[str, Callable[[], Awaitable[Any]]] = {
        "empty relay call (pluggy overhead)": lambda: resolve_all(site.hook.tisserand_startup.get_hookimpls() and []),
        "content_url": lambda: resolve_all([site.hook.content_url(content=content)]),
        "community_nav (per-community relay)": lambda: resolve_all(relay.community_nav(community=community, viewer=member)),
        "site_nav": lambda: resolve_all(site.hook.site_nav(request=None, viewer=None)),
        "content_visible": lambda: resolve_all(site.hook.content_visible(content=content, viewer=member)),
    }
    try:
        for name, call in rows.items():
            try:
                print(f"{name:<44}{await per_call_us(call):>12.1f}")
            except Exception as exc:  # a hook that needs a request
                print(f"{name:<44}{'n/a':>12}  ({type(exc).__name__})")
    finally:
        await site.stop()


if __name__ == "__main__":
    asyncio.run(main())
