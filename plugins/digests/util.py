"""Small helpers for raw SQL rows."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable
from datetime import UTC, datetime
from typing import Any, TypeVar

T = TypeVar("T")


def marks(ids: list[Any]) -> str:
    """``?, ?, ?`` for an IN list (``NULL`` for an empty one, which matches nothing)."""
    return ", ".join("?" for _ in ids) or "NULL"


def as_datetime(value: Any) -> datetime | None:
    """An aware datetime from a raw row (SQLite gives ISO strings, PostgreSQL datetimes)."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return None
    if isinstance(value, datetime):
        return value if value.tzinfo is not None else value.replace(tzinfo=UTC)
    return None


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
