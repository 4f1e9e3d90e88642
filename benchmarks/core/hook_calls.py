"""Cost of one hook call with every installed plugin enabled.

    .venv/bin/python benchmarks/core/hook_calls.py

Measures the relay call of a few hooks the hot paths use (content_check, community_nav, site_nav,
content_url), the per-community subset relay, and the pluggy overhead of an empty hook.
"""

from __future__ import annotations

import statistics
import tempfile
import timeit
from pathlib import Path
from types import SimpleNamespace

from tisserand.plugin_manager import Plugins, installed_plugins
from tisserand.testing.fixtures import make_settings


def per_call_us(statement, number: int = 20_000) -> float:
    runs = timeit.repeat(statement, number=number, repeat=5)
    return statistics.median(runs) / number * 1e6


def main() -> None:
    folder = Path(tempfile.mkdtemp())
    enabled = sorted(installed_plugins())
    plugins = Plugins(make_settings(folder, "sqlite://:memory:", enabled)).load()
    hook = plugins.hook
    community = SimpleNamespace(slug="bench", plugins=None, id=1)
    content = SimpleNamespace(kind="forum.post", body="hello", title="", community=community, id=1,
                              author_id=1, parent_id=None, community_id=1, status="published")
    print(f"plugins enabled: {', '.join(plugins.enabled)}")
    print(f"{'hook':<32}{'µs per call':>12}")
    rows = {
        "tisserand_startup (no-op)": lambda: hook.tisserand_startup(site=None),
        "content_url": lambda: hook.content_url(content=content),
        "for_community(c).community_nav": lambda: plugins.for_community(community).community_nav(community=community, viewer=None),
    }
    for name, call in rows.items():
        try:
            print(f"{name:<32}{per_call_us(call):>12.2f}")
        except Exception as exc:  # a plugin that needs a database for this hook
            print(f"{name:<32}{'n/a':>12}  ({type(exc).__name__}: {exc})")


if __name__ == "__main__":
    main()
