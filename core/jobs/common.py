"""Shared by both queues: the run ledger of periodic jobs, job rows for listings, metrics."""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from tisserand.db import dialect, fetch_one

log = logging.getLogger("tisserand.jobs")

#: Outcome counters by (task, outcome): read by ``/metrics``.
OUTCOMES: dict[tuple[str, str], int] = {}


def count_outcome(task: str, outcome: str) -> None:
    """Count one finished run of ``task`` (``succeeded``, ``failed``, ``retried``, ``skipped``)."""
    OUTCOMES[(task, outcome)] = OUTCOMES.get((task, outcome), 0) + 1


@dataclass
class JobInfo:
    """One job as ``tisserand jobs list`` and the admin page show it."""

    id: int
    task: str
    status: str
    attempts: int
    args: dict[str, Any]
    scheduled_at: datetime | None = None
    lock: str | None = None
    error: str | None = None

    def as_json(self) -> dict[str, Any]:
        """JSON-ready form."""
        data = asdict(self)
        data["scheduled_at"] = self.scheduled_at.isoformat() if self.scheduled_at else None
        return data


async def database_epoch() -> float:
    """Seconds since the epoch on the database's clock (SQLite: this process's clock)."""
    if dialect() == "postgres":
        row = await fetch_one("SELECT EXTRACT(EPOCH FROM clock_timestamp())::float8 AS now")
    else:
        row = await fetch_one("SELECT (julianday('now') - 2440587.5) * 86400.0 AS now")
    return float(row["now"]) if row else 0.0


async def claim_period(name: str, every_seconds: int, *, nearest: bool = False) -> int | None:
    """Take the right to run periodic job ``name`` for the current period (by the database's
    clock); the period's number, or None when it already ran. ``nearest`` rounds to the nearest
    period start (a run deferred at a period's start by a worker whose clock is a little off)."""
    from tortoise.exceptions import IntegrityError

    from tisserand.models import PeriodicRun

    now = await database_epoch()
    slot = round(now / every_seconds) if nearest else int(now // every_seconds)
    try:
        await PeriodicRun.create(name=name, slot=slot)
    except IntegrityError:
        return None
    return slot
