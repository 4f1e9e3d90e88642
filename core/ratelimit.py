"""Fixed-window counters for rate limits, shared across processes when Redis is configured.

When Redis does not answer, the counters fall back to this process's memory (a warning is
logged, at most once a minute) and Redis is tried again a few seconds later: a Redis outage
never turns a log-in or a post into an error.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any

log = logging.getLogger("tisserand.redis")
#: Seconds to keep using the in-process fallback after Redis failed, before trying it again.
RETRY_AFTER = 5.0


class RateLimiter:
    """``hit(key, limit, window)`` counts one event; it answers how long to wait when over."""

    def __init__(self, redis_url: str = "") -> None:
        self.redis_url = redis_url
        self._redis: Any = None
        self._memory: dict[str, tuple[int, float]] = {}
        self._lock = asyncio.Lock()
        self._down_until = 0.0
        self._warned_at = 0.0

    async def _client(self) -> Any:
        if self._redis is None:
            import redis.asyncio as redis

            self._redis = redis.from_url(self.redis_url, socket_connect_timeout=0.5, socket_timeout=1.0)
        return self._redis

    @property
    def use_redis(self) -> bool:
        """Redis is configured and not known to be away."""
        return bool(self.redis_url) and time.monotonic() >= self._down_until

    def _redis_failed(self, exc: BaseException) -> None:
        now = time.monotonic()
        self._down_until = now + RETRY_AFTER
        if now - self._warned_at > 60:
            self._warned_at = now
            log.warning("Redis unreachable (%s: %s): rate limits counted in this process until it is back",
                        type(exc).__name__, exc)

    async def ready(self) -> bool | None:
        """None without Redis; else whether it answers a PING now."""
        if not self.redis_url:
            return None
        try:
            await (await self._client()).ping()
        except Exception as exc:
            self._redis_failed(exc)
            return False
        self._down_until = 0.0
        return True

    async def hit(self, key: str, limit: int, window: int) -> int | None:
        """Count an event for ``key``; None if within ``limit`` per ``window`` seconds, else
        the seconds to wait until the window ends."""
        if self.use_redis:
            try:
                return await self._redis_hit(key, limit, window)
            except Exception as exc:  # redis.ConnectionError, TimeoutError, OSError…
                self._redis_failed(exc)
        return await self._memory_hit(key, limit, window)

    async def _redis_hit(self, key: str, limit: int, window: int) -> int | None:
        client = await self._client()
        bucket = int(time.time() // window)
        redis_key = f"tisserand:rl:{key}:{bucket}"
        count, _ = await client.pipeline().incr(redis_key).expire(redis_key, window + 1).execute()
        if int(count) > limit:
            return max(1, int((bucket + 1) * window - time.time()))
        return None

    async def _memory_hit(self, key: str, limit: int, window: int) -> int | None:
        async with self._lock:
            now = time.monotonic()
            count, reset_at = self._memory.get(key, (0, now + window))
            if now >= reset_at:
                count, reset_at = 0, now + window
            count += 1
            self._memory[key] = (count, reset_at)
            if len(self._memory) > 100_000:
                self._memory = {k: v for k, v in self._memory.items() if v[1] > now}
            if count > limit:
                return max(1, int(reset_at - now))
            return None

    async def hit_many(self, limits: list[tuple[str, int, int]]) -> list[int | None]:
        """Count one event on each ``(key, limit, window)`` at once (one round trip to Redis);
        for each, None if within its limit, else the seconds to wait."""
        if not self.use_redis:
            return [await self._memory_hit(key, limit, window) for key, limit, window in limits]
        try:
            return await self._redis_hit_many(limits)
        except Exception as exc:
            self._redis_failed(exc)
            return [await self._memory_hit(key, limit, window) for key, limit, window in limits]

    async def _redis_hit_many(self, limits: list[tuple[str, int, int]]) -> list[int | None]:
        client = await self._client()
        now = time.time()
        pipe = client.pipeline(transaction=False)
        buckets = []
        for key, _limit, window in limits:
            bucket = int(now // window)
            redis_key = f"tisserand:rl:{key}:{bucket}"
            pipe.incr(redis_key).expire(redis_key, window + 1)
            buckets.append(bucket)
        counts = (await pipe.execute())[::2]
        return [max(1, int((bucket + 1) * window - now)) if int(count) > limit else None
                for count, bucket, (_key, limit, window) in zip(counts, buckets, limits, strict=True)]

    async def give_back(self, key: str, window: int) -> None:
        """Take back one event counted for ``key`` in the current ``window`` (e.g. an attempt
        that turned out to be a success)."""
        if self.use_redis:
            try:
                client = await self._client()
                redis_key = f"tisserand:rl:{key}:{int(time.time() // window)}"
                if int(await client.decr(redis_key)) < 0:
                    await client.delete(redis_key)
                return
            except Exception as exc:
                self._redis_failed(exc)
        async with self._lock:
            entry = self._memory.get(key)
            if entry is not None and entry[0] > 0:
                self._memory[key] = (entry[0] - 1, entry[1])

    async def reset(self, key: str) -> None:
        """Forget the counts for ``key`` (e.g. after a successful login)."""
        self._memory.pop(key, None)
        if self.use_redis:
            try:
                client = await self._client()
                keys = [k async for k in client.scan_iter(match=f"tisserand:rl:{key}:*")]
                if keys:
                    await client.delete(*keys)
            except Exception as exc:
                self._redis_failed(exc)

    async def close(self) -> None:
        """Release the Redis connection pool."""
        if self._redis is not None:
            try:
                await self._redis.aclose()
            except Exception:
                pass
            self._redis = None
