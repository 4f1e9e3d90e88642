"""Scheduled work declared by plugins through ``tisserand_jobs``.

Jobs run in the web process by default. Every run is claimed in the database first (an atomic
compare-and-set on ``job_run``), so several processes can run the scheduler and each job still
runs once per interval. ``tisserand jobs run NAME`` runs one now.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tisserand.site import Site

log = logging.getLogger("tisserand.jobs")


@dataclass(frozen=True)
class Job:
    """A job: ``func(site)`` runs every ``every``. Names are dotted (``digests.send_weekly``)."""

    name: str
    func: Callable[[Site], Awaitable[Any]]
    every: timedelta = timedelta(hours=1)
    description: str = ""


def all_jobs(site: Site) -> dict[str, Job]:
    """Every job of every enabled plugin, by name."""
    jobs: dict[str, Job] = dict(core_jobs())
    for _plugin, declared in site.plugins.per_plugin("tisserand_jobs"):
        for job in declared:
            jobs[job.name] = job
    return jobs


def core_jobs() -> dict[str, Job]:
    """The core's own periodic jobs (members' rights)."""
    from tisserand.account_closing import close_due_accounts
    from tisserand.ip_retention import purge_ip_addresses
    from tisserand.member_export import build_pending_exports

    return {"core.member_exports": Job("core.member_exports", build_pending_exports, every=timedelta(minutes=1),
                                       description="Build members' data exports; forget expired ones"),
            "core.account_closings": Job("core.account_closings", close_due_accounts, every=timedelta(hours=1),
                                         description="Close the accounts whose grace period is over"),
            "core.ip_purge": Job("core.ip_purge", purge_ip_addresses, every=timedelta(hours=6),
                                 description="Forget IP addresses older than [privacy] ip_retention_days")}


async def claim(job: Job, now: datetime | None = None) -> bool:
    """Atomically take the right to run ``job`` now; False if it ran within its interval."""
    from tortoise.exceptions import IntegrityError

    from tisserand.models import JobRun

    now = now or datetime.now(UTC)
    row = await JobRun.get_or_none(name=job.name)
    if row is None:
        try:
            await JobRun.create(name=job.name, last_run_at=now)
            return True
        except IntegrityError:  # another process inserted it first
            return False
    if now - row.last_run_at < job.every:
        return False
    updated = await JobRun.filter(name=job.name, last_run_at=row.last_run_at).update(last_run_at=now)
    return bool(updated)


async def run_job(site: Site, job: Job) -> None:
    """Run one job now, logging (not raising) its failure."""
    try:
        await job.func(site)
    except Exception:
        log.exception("job %s failed", job.name)


class Scheduler:
    """Checks every ``tick`` seconds which jobs are due and runs them, one at a time."""

    def __init__(self, site: Site, tick: float = 30.0) -> None:
        self.site = site
        self.tick = tick
        self._task: asyncio.Task[None] | None = None

    async def run_due(self) -> list[str]:
        """Run the jobs that are due now; returns their names."""
        ran = []
        for job in all_jobs(self.site).values():
            if await claim(job):
                await run_job(self.site, job)
                ran.append(job.name)
        return ran

    async def _loop(self) -> None:
        while True:
            try:
                await self.run_due()
            except Exception:
                log.exception("scheduler tick failed")
            await asyncio.sleep(self.tick)

    def start(self) -> None:
        """Start the loop in the background."""
        if self._task is None:
            self._task = asyncio.create_task(self._loop())

    async def stop(self) -> None:
        """Stop the loop."""
        if self._task is not None:
            self._task.cancel()
            try:
                await self._task
            except asyncio.CancelledError:
                pass
            self._task = None
