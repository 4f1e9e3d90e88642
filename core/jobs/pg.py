"""The PostgreSQL queue: procrastinate keeps jobs in the site's database; ``tisserand worker``
processes on any machine run them. Periodic jobs are deferred by every worker and deduplicated
by the database; each run then claims its period in ``job_periodic_run`` by the database's
clock, so a worker whose clock is wrong runs nothing twice and stops nothing."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit, urlunsplit

from tisserand.jobs.common import JobInfo, claim_period, count_outcome
from tisserand.jobs.local import run_periodic
from tisserand.jobs.registry import Job, Task, all_jobs, all_tasks

if TYPE_CHECKING:
    from procrastinate import App

    from tisserand.site import Site

log = logging.getLogger("tisserand.jobs")
PERIODIC_QUEUE = "periodic"


def conninfo(database_url: str) -> str:
    """A libpq connection string from the site's ``postgres://`` URL (query options dropped)."""
    parts = urlsplit(database_url)
    return urlunsplit(("postgresql", parts.netloc, parts.path, "", ""))


def _task_wrapper(site: Site, task: Task) -> Any:
    async def run(**kwargs: Any) -> None:
        try:
            await task.func(site, **kwargs)
        except Exception:
            count_outcome(task.name, "failed")
            raise
        count_outcome(task.name, "succeeded")

    run.__name__ = task.name.replace(".", "_")
    return run


def _periodic_wrapper(site: Site, job: Job) -> Any:
    async def run(timestamp: int) -> None:
        if await claim_period(job.name, job.seconds, nearest=True) is None:
            count_outcome(job.name, "skipped")
            return
        await run_periodic(site, job)

    run.__name__ = job.name.replace(".", "_")
    return run


def build_app(site: Site) -> App:
    """A procrastinate app with every task and periodic job of the site's plugins."""
    from procrastinate import App, PsycopgConnector, RetryStrategy

    app = App(connector=PsycopgConnector(conninfo=conninfo(site.settings.direct_database_url),
                                         kwargs={"application_name": "tisserand"}),
              periodic_defaults={"max_delay": 3600})
    for task in all_tasks(site).values():
        app.task(name=task.name, retry=RetryStrategy(max_attempts=task.retries, exponential_wait=int(task.backoff))
                 if task.retries else False)(_task_wrapper(site, task))
    for job in all_jobs(site).values():
        registered = app.task(name=f"periodic:{job.name}", queue=PERIODIC_QUEUE,
                              queueing_lock=f"periodic:{job.name}")(_periodic_wrapper(site, job))
        app.periodic(cron=job.cron(), periodic_id=job.name)(registered)

    return app


async def retry_stalled(app: App, stalled_after: float) -> int:
    """Queue again the jobs of workers that died (no heartbeat for ``stalled_after`` s)."""
    count = 0
    for stalled in await app.job_manager.get_stalled_jobs(seconds_since_heartbeat=stalled_after):
        log.warning("job %s #%s was running on a worker that died: queued again", stalled.task_name, stalled.id)
        await app.job_manager.retry_job(stalled)
        count += 1
    return count


async def schema_installed(connection: Any) -> bool:
    """procrastinate's tables exist in this database."""
    rows = await connection.execute_query_dict("SELECT to_regclass('procrastinate_jobs') IS NOT NULL AS ok")
    return bool(rows and rows[0]["ok"])


async def install_schema(database_url: str) -> bool:
    """Create procrastinate's tables when missing (``tisserand migrate``); True if created."""
    import psycopg
    from procrastinate import App, PsycopgConnector

    async with await psycopg.AsyncConnection.connect(conninfo(database_url), autocommit=True) as conn:
        found = await (await conn.execute("SELECT to_regclass('procrastinate_jobs') IS NOT NULL")).fetchone()
        if found and found[0]:
            return False
    app = App(connector=PsycopgConnector(conninfo=conninfo(database_url)))
    async with app.open_async():
        await app.schema_manager.apply_schema_async()
    return True


class ProcrastinateQueue:
    """The queue of a PostgreSQL site."""

    backend = "procrastinate"

    def __init__(self, site: Site) -> None:
        self.site = site
        self._app: App | None = None
        self._open = False

    @property
    def app(self) -> App:
        """The procrastinate app, built at first use: procrastinate and psycopg weigh ~10 MiB,
        which a web process that defers nothing need not carry (issue 23)."""
        if self._app is None:
            self._app = build_app(self.site)
        return self._app

    async def _ensure_open(self) -> None:
        if not self._open:
            await self.app.open_async()
            self._open = True

    async def defer(self, task: str, *, lock: str | None = None, queueing_lock: str | None = None,
                    delay: float = 0, **kwargs: Any) -> int | None:
        """Queue ``task(site, **kwargs)`` for a worker; its job id, or None when
        ``queueing_lock`` already has a job waiting."""
        from procrastinate.exceptions import AlreadyEnqueued

        if task not in all_tasks(self.site):
            raise KeyError(f"no task named '{task}'")
        await self._ensure_open()
        options: dict[str, Any] = {"lock": lock, "queueing_lock": queueing_lock}
        if delay:
            options["schedule_in"] = {"seconds": delay}
        try:
            return int(await self.app.configure_task(task, **options).defer_async(**kwargs))
        except AlreadyEnqueued:
            return None

    async def run_worker(self, concurrency: int = 1, **options: Any) -> None:
        """Run a worker until it is stopped (SIGINT/SIGTERM: running jobs finish first). It
        sends heartbeats and, every half ``[jobs] stalled_after``, queues again the jobs of
        workers that died."""
        import asyncio
        import contextlib

        await self._ensure_open()
        config = self.site.settings.jobs
        options.setdefault("update_heartbeat_interval", config.heartbeat)
        options.setdefault("stalled_worker_timeout", config.stalled_after)

        async def watch() -> None:
            while True:
                await asyncio.sleep(config.stalled_after / 2)
                try:
                    await retry_stalled(self.app, config.stalled_after)
                except Exception:
                    log.exception("could not look for stalled jobs")

        watcher = asyncio.create_task(watch())
        try:
            await self.app.run_worker_async(concurrency=concurrency, **options)
        finally:
            watcher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await watcher

    def start(self) -> None:
        """Web processes of a PostgreSQL site run no jobs: ``tisserand worker`` does."""

    async def stop(self) -> None:
        """Nothing runs in the web process."""

    async def close(self) -> None:
        """Close procrastinate's connection pool."""
        if self._open:
            await self.app.close_async()
            self._open = False

    async def list_jobs(self, statuses: tuple[str, ...] = ("todo", "doing", "failed"),
                        limit: int = 200) -> list[JobInfo]:
        """Jobs with these statuses, newest first. procrastinate keeps no error text: a failed
        job shows its status and attempts here; its error is in the worker's log (and, for work
        that records it, in the audit log)."""
        from tisserand.db import as_json, fetch_all

        marks = ", ".join("?" for _ in statuses)
        rows = await fetch_all(
            "SELECT j.id, j.task_name, j.status::text AS status, j.attempts, j.args, j.scheduled_at, j.lock "
            f"FROM procrastinate_jobs j WHERE j.status::text IN ({marks}) ORDER BY j.id DESC LIMIT ?",
            [*statuses, limit])
        return [JobInfo(id=int(r["id"]), task=str(r["task_name"]), status=str(r["status"]),
                        attempts=int(r["attempts"]), args=dict(as_json(r["args"]) or {}),
                        scheduled_at=r["scheduled_at"], lock=r["lock"]) for r in rows]

    async def ready(self) -> bool:
        """procrastinate's tables answer."""
        from tisserand.db import fetch_one

        await fetch_one("SELECT 1 FROM procrastinate_jobs LIMIT 1")
        return True

