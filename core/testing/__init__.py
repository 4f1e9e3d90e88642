"""Test support for Tisserand and its plugins: pytest fixtures (registered through the
``pytest11`` entry point, so any plugin's test suite gets them) and factories."""

from __future__ import annotations

from importlib import import_module
from typing import Any

# The public part (docs/plugin-guide.md). Loaded on first use, so that importing this package
# (pytest does, through the ``pytest11`` entry point) needs nothing beyond Tisserand and pytest.
__all__ = ["Factory", "LiveSite", "TestClient", "count_queries"]

_WHERE = {"Factory": "factory", "LiveSite": "live", "TestClient": "client", "count_queries": "queries"}


def __getattr__(name: str) -> Any:
    """``from tisserand.testing import Factory`` imports ``tisserand.testing.factory`` then."""
    if name in _WHERE:
        return getattr(import_module(f"tisserand.testing.{_WHERE[name]}"), name)
    raise AttributeError(f"module 'tisserand.testing' has no attribute {name!r}")
