"""A small in-process cache for plugins: bounded, least recently used entries leave first, and
each entry expires after its own time to live.

Each web process has its own: what one process caches, another does not see. Use it for what
may be a few seconds late in another process (a bell's count, whether a community has seasons)
and forget the entry where this process makes the change, or put a version read from the
database in the key (a topic's ``version``), so that no process serves something older than
the database says.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from typing import Any

__all__ = ["ExpiringCache"]


class ExpiringCache:
    """A least-recently-used map with a time to live per entry (``size`` entries at most)."""

    def __init__(self, size: int = 512) -> None:
        self.size = size
        self._items: OrderedDict[Any, tuple[float, Any]] = OrderedDict()

    def get(self, key: Any) -> Any:
        """The value for ``key``, or None when absent or expired."""
        item = self._items.get(key)
        if item is None:
            return None
        expires, value = item
        if expires < time.monotonic():
            del self._items[key]
            return None
        self._items.move_to_end(key)
        return value

    def put(self, key: Any, value: Any, seconds: float) -> None:
        """Keep ``value`` for ``seconds`` (the oldest entry leaves when the cache is full)."""
        self._items[key] = (time.monotonic() + seconds, value)
        self._items.move_to_end(key)
        while len(self._items) > self.size:
            self._items.popitem(last=False)

    def forget(self, key: Any) -> None:
        """Drop ``key`` (after a change this process made)."""
        self._items.pop(key, None)

    def clear(self) -> None:
        """Forget everything."""
        self._items.clear()

    def __len__(self) -> int:
        return len(self._items)
