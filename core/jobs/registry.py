"""What plugins declare: periodic :class:`Job` and on-demand :class:`Task`, collected from hooks."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tisserand.site import Site


@dataclass(frozen=True)
class Job:
    """A periodic task: ``func(site)`` runs once every ``every``, whatever the number of
    workers and whatever their clocks say. Names are dotted (``digests.send``)."""

    name: str
    func: Callable[[Site], Awaitable[Any]]
    every: timedelta = timedelta(hours=1)
    description: str = ""

    @property
    def seconds(self) -> int:
        """The period in whole seconds (at least one minute)."""
        return max(60, int(self.every.total_seconds()))

    def cron(self) -> str:
        """A cron line that fires at the start of each period (every minute when the period
        does not fit cron: the run ledger keeps it to once per period anyway)."""
        minutes = self.seconds // 60
        if self.seconds % 60 == 0 and minutes < 60 and 60 % minutes == 0:
            return f"*/{minutes} * * * *" if minutes > 1 else "* * * * *"
        hours = minutes // 60
        if minutes % 60 == 0 and hours < 24 and 24 % hours == 0:
            return f"0 */{hours} * * *" if hours > 1 else "0 * * * *"
        if minutes == 24 * 60:
            return "0 0 * * *"
        return "* * * * *"


@dataclass(frozen=True)
class Task:
    """Work deferred to a worker: ``func(site, **kwargs)``, with JSON-serializable keyword
    arguments. A failed run is retried ``retries`` times with exponential backoff
    (``backoff`` seconds, then its square, …). The handler must be idempotent: a job may run
    again after a worker died in the middle of it."""

    name: str
    func: Callable[..., Awaitable[Any]]
    retries: int = 5
    backoff: float = 10.0
    description: str = ""

    def delay(self, attempt: int) -> float:
        """Seconds to wait before retry number ``attempt`` (1, 2, …)."""
        return float(self.backoff ** min(attempt, 4)) if self.backoff > 1 else self.backoff


def all_jobs(site: Site) -> dict[str, Job]:
    """Every periodic job of the core and of every enabled plugin, by name."""
    from tisserand.privacy_jobs import privacy_jobs
    from tisserand.uploads.cleanup import core_jobs

    jobs: dict[str, Job] = {job.name: job for job in [*core_jobs(), *privacy_jobs()]}
    for _plugin, declared in site.plugins.per_plugin("tisserand_jobs"):
        for job in declared or ():
            jobs[job.name] = job
    return jobs


def all_tasks(site: Site) -> dict[str, Task]:
    """Every task of every enabled plugin (and the core), by name."""
    tasks: dict[str, Task] = {}
    for _plugin, declared in site.plugins.per_plugin("tisserand_tasks"):
        for task in declared or ():
            tasks[task.name] = task
    return tasks
