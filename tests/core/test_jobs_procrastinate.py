"""The PostgreSQL queue with real procrastinate workers: two workers share the work, a
periodic job runs once per period whatever the workers' clocks say, a failed job is retried
with backoff and shown as failed."""

from __future__ import annotations

import asyncio
import time
from datetime import timedelta

import pytest

from tisserand import hookimpl
from tisserand.jobs import Job, Task, defer
from tisserand.jobs.pg import ProcrastinateQueue

RUNS: list[tuple[str, int]] = []


async def record(site, n: int) -> None:
    await asyncio.sleep(0.01)
    RUNS.append(("record", n))


async def always_fails(site, n: int) -> None:
    RUNS.append(("fails", n))
    raise RuntimeError("the SMTP server said no")


async def tick(site) -> None:
    RUNS.append(("tick", 0))


class QueuePlugin:
    @hookimpl
    def tisserand_tasks(self):
        return [Task("tests.record", record, retries=0), Task("tests.fails", always_fails, retries=2, backoff=0)]

    @hookimpl
    def tisserand_jobs(self):
        return [Job("tests.tick", tick, every=timedelta(minutes=15))]


@pytest.fixture(autouse=True)
def _postgres_only(database_flavour):
    if database_flavour != "postgres":
        pytest.skip("procrastinate keeps its jobs in PostgreSQL")
    RUNS.clear()


async def _site(site_factory):
    return await site_factory(enabled=[], extra_plugins={"queue": QueuePlugin()},
                              config={"jobs": {"backend": "procrastinate", "eager": False}})


async def _drain(site, workers: int = 2) -> list[ProcrastinateQueue]:
    queues = [ProcrastinateQueue(site) for _ in range(workers)]
    try:
        await asyncio.gather(*[q.run_worker(concurrency=2, wait=False, install_signal_handlers=False,
                                            listen_notify=False, fetch_job_polling_interval=0.05)
                               for q in queues])
    finally:
        for q in queues:
            await q.close()
    return queues


async def test_two_workers_run_every_job_once(site_factory):
    site = await _site(site_factory)
    for n in range(40):
        assert await defer(site, "tests.record", n=n) is not None
    await _drain(site)
    assert sorted(n for kind, n in RUNS if kind == "record") == list(range(40))
    assert [j for j in await site.jobs.list_jobs() if j.task == "tests.record"] == []


async def test_a_failed_job_is_retried_then_shown_as_failed(site_factory):
    site = await _site(site_factory)
    job_id = await defer(site, "tests.fails", n=1)
    for _ in range(4):  # each pass runs what is due; retries wait their (zero) backoff
        await _drain(site, workers=1)
    assert RUNS.count(("fails", 1)) == 3  # first run + two retries
    failed = await site.jobs.list_jobs(statuses=("failed",))
    assert [(j.id, j.task, j.status, j.attempts) for j in failed] == [(job_id, "tests.fails", "failed", 3)]


async def test_a_periodic_job_runs_once_per_period_whatever_the_clocks(site_factory):
    """Three workers defer the periodic job: one on time, one whose clock is an hour ahead,
    one ten minutes behind; procrastinate dedups equal timestamps, and each run claims its
    period by PostgreSQL's clock, so the job runs once in this period."""
    from procrastinate import periodic

    site = await _site(site_factory)
    now = time.time()
    queues = [ProcrastinateQueue(site) for _ in range(3)]
    try:
        for queue, skew in zip(queues, (0, 3600, -600), strict=True):
            await queue._ensure_open()
            deferrer = periodic.PeriodicDeferrer(queue.app.periodic_registry, max_delay=7200)
            await deferrer.defer_jobs(deferrer.get_previous_tasks(at=now + skew))
            await deferrer.defer_jobs(deferrer.get_previous_tasks(at=now + skew + 60))  # a later tick
    finally:
        for queue in queues:
            await queue.close()
    await _drain(site)
    assert RUNS.count(("tick", 0)) == 1
    # the old scheduler's failure: a clock ahead stopped every later run; here the next
    # period runs normally (its claim is a new row).
    from tisserand.models import PeriodicRun

    assert await PeriodicRun.filter(name="tests.tick").count() == 1
