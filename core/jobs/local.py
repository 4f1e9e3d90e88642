"""The in-process queue: jobs kept in the site's database (``job_queue``), run by the web
process itself or by ``tisserand worker``. The default on SQLite: no other service needed."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import traceback
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from tisserand.jobs.common import JobInfo, claim_period, count_outcome
from tisserand.jobs.registry import Job, all_jobs, all_tasks

if TYPE_CHECKING:
    from tisserand.site import Site

log = logging.getLogger("tisserand.jobs")


class LocalQueue:
    """Jobs in a table, run in this process. ``eager`` runs a deferred job at once, inside
    ``defer`` (tests)."""

    backend = "local"

    def __init__(self, site: Site, *, eager: bool = False, tick: float = 30.0, poll: float = 1.0) -> None:
        self.site = site
        self.eager = eager
        self.tick = tick
        self.poll = poll
        self._wake = asyncio.Event()
        self._tasks: list[asyncio.Task[None]] = []

    # --- deferring ------------------------------------------------------------------------

    async def defer(self, task: str, *, lock: str | None = None, queueing_lock: str | None = None,
                    delay: float = 0, **kwargs: Any) -> int | None:
        """Queue ``task(site, **kwargs)``; its job id, or None when ``queueing_lock`` already
        has a job waiting."""
        from tisserand.models import QueuedJob

        if task not in all_tasks(self.site):
            raise KeyError(f"no task named '{task}'")
        if queueing_lock and await QueuedJob.filter(queueing_lock=queueing_lock, status="todo").exists():
            return None
        when = datetime.now(UTC) + timedelta(seconds=delay) if delay else None
        row = await QueuedJob.create(task=task, args=kwargs, lock=lock, queueing_lock=queueing_lock,
                                     scheduled_at=when)
        if self.eager and not delay:
            await self.run_job(row.id)
        else:
            self._wake.set()
        return int(row.id)

    # --- running --------------------------------------------------------------------------

    async def _take(self) -> Any:
        """Claim the oldest due job (an atomic update: several processes may poll)."""
        from tortoise.expressions import Q

        from tisserand.models import QueuedJob

        now = datetime.now(UTC)
        busy = await QueuedJob.filter(status="doing", lock__isnull=False).values_list("lock", flat=True)
        candidates = (QueuedJob.filter(status="todo")
                      .filter(Q(scheduled_at__isnull=True) | Q(scheduled_at__lte=now))
                      .order_by("id").limit(10))
        for job in await candidates:
            if job.lock and job.lock in busy:
                continue
            if await QueuedJob.filter(id=job.id, status="todo").update(status="doing", started_at=now):
                return job
        return None

    async def run_job(self, job_id: int) -> str:
        """Run one queued job now (claiming it); its final status."""
        from tisserand.models import QueuedJob

        now = datetime.now(UTC)
        if not await QueuedJob.filter(id=job_id, status="todo").update(status="doing", started_at=now):
            row = await QueuedJob.get(id=job_id)
            return str(row.status)
        return await self._execute(await QueuedJob.get(id=job_id))

    async def _execute(self, job: Any) -> str:
        from tisserand.models import QueuedJob

        task = all_tasks(self.site).get(job.task)
        attempts = job.attempts + 1
        if task is None:
            status, error = "failed", f"no task named '{job.task}' (plugin switched off?)"
        else:
            try:
                await task.func(self.site, **job.args)
                status, error = "succeeded", None
            except Exception as exc:
                log.exception("job %s #%s failed (attempt %d)", job.task, job.id, attempts)
                error = "".join(traceback.format_exception_only(exc)).strip()
                status = "todo" if attempts <= task.retries else "failed"
        update: dict[str, Any] = {"status": status, "attempts": attempts, "error": error,
                                  "finished_at": datetime.now(UTC)}
        if status == "todo" and task is not None:
            update["scheduled_at"] = datetime.now(UTC) + timedelta(seconds=task.delay(attempts))
        await QueuedJob.filter(id=job.id).update(**update)
        count_outcome(job.task, "retried" if status == "todo" else status)
        return status

    async def run_pending(self, limit: int = 1000) -> int:
        """Run the jobs that are due now, one after the other; how many ran."""
        ran = 0
        while ran < limit:
            job = await self._take()
            if job is None:
                break
            await self._execute(job)
            ran += 1
        return ran

    async def run_due_periodic(self) -> list[str]:
        """Run the periodic jobs whose period has not run yet; their names."""
        ran = []
        for job in all_jobs(self.site).values():
            if await claim_period(job.name, job.seconds) is not None:
                await run_periodic(self.site, job)
                ran.append(job.name)
        return ran

    async def _periodic_loop(self) -> None:
        while True:
            try:
                await self.run_due_periodic()
            except Exception:
                log.exception("periodic jobs tick failed")
            await asyncio.sleep(self.tick)

    async def _queue_loop(self) -> None:
        while True:
            try:
                await self.run_pending()
            except Exception:
                log.exception("job queue tick failed")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), self.poll)
            self._wake.clear()

    def start(self) -> None:
        """Run the queue and the periodic jobs in the background of this process."""
        if not self._tasks:
            self._tasks = [asyncio.create_task(self._periodic_loop()), asyncio.create_task(self._queue_loop())]

    async def stop(self) -> None:
        """Stop the background loops (a running job is cancelled; it runs again later)."""
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._tasks = []

    async def run_worker(self, concurrency: int = 1) -> None:
        """``tisserand worker`` on a site with the in-process queue: run until cancelled."""
        self.start()
        try:
            await asyncio.gather(*self._tasks)
        finally:
            await self.stop()

    async def close(self) -> None:
        """Release resources (stops the loops)."""
        await self.stop()

    # --- looking ---------------------------------------------------------------------------

    async def list_jobs(self, statuses: tuple[str, ...] = ("todo", "doing", "failed"),
                        limit: int = 200) -> list[JobInfo]:
        """Jobs with these statuses, newest first."""
        from tisserand.models import QueuedJob

        rows = await QueuedJob.filter(status__in=list(statuses)).order_by("-id").limit(limit)
        return [JobInfo(id=int(r.id), task=r.task, status=r.status, attempts=r.attempts,
                        args=dict(r.args or {}), scheduled_at=r.scheduled_at, lock=r.lock, error=r.error)
                for r in rows]

    async def ready(self) -> bool:
        """The queue's table answers."""
        from tisserand.models import QueuedJob

        await QueuedJob.filter(status="todo").count()
        return True


async def run_periodic(site: Site, job: Job) -> bool:
    """Run a periodic job's function, logging (not raising) its failure; True on success."""
    try:
        await job.func(site)
    except Exception:
        log.exception("periodic job %s failed", job.name)
        count_outcome(job.name, "failed")
        return False
    count_outcome(job.name, "succeeded")
    return True
