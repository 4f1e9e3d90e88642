"""Background work: periodic jobs and deferred tasks declared by plugins.

Plugins declare periodic :class:`Job` s through ``tisserand_jobs`` and on-demand :class:`Task` s
through ``tisserand_tasks``; code defers work with ``await defer(site, "digests.dispatch_call",
call_id=3)``. Two queues offer the same API (``site.jobs``):

- **local** (the default on SQLite): jobs in the ``job_queue`` table, run in the web process
  (or by ``tisserand worker``);
- **procrastinate** (the default on PostgreSQL): jobs in procrastinate's tables, run by any
  number of ``tisserand worker`` processes on any machines, with retries, backoff and locks.

Each periodic job runs once per period: the run claims its period in ``job_periodic_run``, by
the database's clock, whatever the processes' clocks say.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tisserand.jobs.common import JobInfo, claim_period, database_epoch  # noqa: F401 (for the core)
from tisserand.jobs.registry import Job, Task, all_jobs, all_tasks  # noqa: F401

if TYPE_CHECKING:
    from tisserand.site import Site

# The public part for plugins (docs/plugin-guide.md); the rest is the core's machinery.
__all__ = ["Job", "Task", "defer"]


def queue_backend(site: Site) -> str:
    """``local`` or ``procrastinate``, from ``[jobs] backend`` (``auto`` picks by database)."""
    chosen = site.settings.jobs.backend
    if chosen == "auto":
        return "procrastinate" if site.settings.database_url.startswith(("postgres://", "postgresql://")) else "local"
    return chosen


def make_queue(site: Site) -> Any:
    """The site's queue (see :attr:`tisserand.site.Site.jobs`)."""
    if queue_backend(site) == "procrastinate":
        from tisserand.jobs.pg import ProcrastinateQueue

        return ProcrastinateQueue(site)
    from tisserand.jobs.local import LocalQueue

    return LocalQueue(site, eager=site.settings.jobs.eager)


async def defer(site: Site, task: str, *, lock: str | None = None, queueing_lock: str | None = None,
                delay: float = 0, **kwargs: Any) -> int | None:
    """Queue ``task`` (a name declared through ``tisserand_tasks``) with JSON keyword arguments.

    ``lock``: jobs sharing it never run at the same time; ``queueing_lock``: at most one such job
    waits in the queue (None is returned for the extra one); ``delay``: seconds to wait first."""
    return await site.jobs.defer(task, lock=lock, queueing_lock=queueing_lock, delay=delay, **kwargs)
