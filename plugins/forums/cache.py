"""A small in-process cache of rendered replies for anonymous readers, of the rows of a topic
page shared by signed-in readers, and of rendered posts and forms (``pages``).

Keys include the topic's ``version``, read from the database on every request, which every
change shown on the page increases: a process never serves replies older than the database
says, whichever process made the change. Entries also expire after a while (a member's new
display name, say, shows up then). Nothing here is needed by another process.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from typing import Any


class FragmentCache:
    """A least-recently-used map with a time to live per entry."""

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
        """Keep ``value`` for ``seconds``."""
        self._items[key] = (time.monotonic() + seconds, value)
        self._items.move_to_end(key)
        while len(self._items) > self.size:
            self._items.popitem(last=False)

    def clear(self) -> None:
        """Forget everything."""
        self._items.clear()


fragments = FragmentCache()
#: Rendered posts keyed by every value they show (``pages.render_posts``): never stale, so a
#: long life; the size bounds the memory (about 3 kB a post: ~6 MiB when full).
post_fragments = FragmentCache(size=2000)
POST_CACHE_SECONDS = 3600.0
