"""``tisserand.cache.ExpiringCache``: bounded, least recently used first out, entries expire."""

from __future__ import annotations

import time

from tisserand.cache import ExpiringCache


def test_entries_expire_after_their_time_to_live(monkeypatch) -> None:
    now = [1000.0]
    monkeypatch.setattr(time, "monotonic", lambda: now[0])
    cache = ExpiringCache()
    cache.put("bell:7", 3, seconds=15)
    assert cache.get("bell:7") == 3
    now[0] += 16
    assert cache.get("bell:7") is None
    assert len(cache) == 0


def test_the_least_recently_used_entry_leaves_when_full() -> None:
    cache = ExpiringCache(size=2)
    cache.put("a", 1, 60)
    cache.put("b", 2, 60)
    assert cache.get("a") == 1  # "b" is now the least recently used
    cache.put("c", 3, 60)
    assert (cache.get("a"), cache.get("b"), cache.get("c")) == (1, None, 3)


def test_forget_and_clear() -> None:
    cache = ExpiringCache()
    cache.put("a", 1, 60)
    cache.put("b", 2, 60)
    cache.forget("a")
    cache.forget("never there")
    assert cache.get("a") is None and cache.get("b") == 2
    cache.clear()
    assert len(cache) == 0
