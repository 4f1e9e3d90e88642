"""Small helpers for raw SQL rows."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable
from typing import Any, TypeVar

from tisserand.db import as_datetime as as_datetime  # re-exported: the core's row helper

T = TypeVar("T")


def marks(ids: list[Any]) -> str:
    """``?, ?, ?`` for an IN list (``NULL`` for an empty one, which matches nothing)."""
    return ", ".join("?" for _ in ids) or "NULL"


async def run_limited(items: Iterable[T], work: Callable[[T], Awaitable[Any]], limit: int) -> None:
    """Run ``work(item)`` for every item, ``limit`` at a time. After a failure no new item
    starts, the ones in progress finish (a message being handed to the mail server is not cut
    off halfway), then the first error is raised."""
    semaphore = asyncio.Semaphore(limit)
    failures: list[BaseException] = []

    async def guarded(item: T) -> None:
        async with semaphore:
            if failures:
                return
            try:
                await work(item)
            except Exception as exc:
                failures.append(exc)

    await asyncio.gather(*(guarded(item) for item in items))
    if failures:
        raise failures[0]
