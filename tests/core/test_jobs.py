"""Background jobs: periodic jobs run once per period by the database's clock, deferred tasks
are retried with backoff and visible to admins, on the in-process queue (SQLite and
PostgreSQL) and on procrastinate with real workers (PostgreSQL)."""

from __future__ import annotations

import asyncio
import json
from datetime import timedelta

import pytest
from typer.testing import CliRunner

from tisserand import hookimpl
from tisserand.jobs import Job, Task, claim_period, defer
from tisserand.models import PeriodicRun, QueuedJob

RUNS: list[str] = []


async def flaky(site, key: str, fail_times: int = 1) -> None:
    """Fails ``fail_times`` times for ``key``, then succeeds."""
    RUNS.append(key)
    if RUNS.count(key) <= fail_times:
        raise RuntimeError(f"temporary failure of {key}")


async def tick(site) -> None:
    RUNS.append("tick")


class JobsPlugin:
    @hookimpl
    def tisserand_tasks(self):
        return [Task("tests.flaky", flaky, retries=2, backoff=0),
                Task("tests.once", flaky, retries=0, backoff=0),
                Task("tests.slow", flaky, retries=2, backoff=5)]

    @hookimpl
    def tisserand_jobs(self):
        return [Job("tests.tick", tick, every=timedelta(minutes=15))]


@pytest.fixture(autouse=True)
def _clear_runs():
    RUNS.clear()


async def _site(site_factory, **jobs):
    return await site_factory(enabled=[], extra_plugins={"jobs": JobsPlugin()},
                              config={"jobs": {"backend": "local", "eager": False, **jobs}})


async def test_a_period_is_claimed_once_whatever_the_number_of_processes(site):
    results = await asyncio.gather(*[claim_period("tests.hourly", 3600) for _ in range(6)])
    assert len([r for r in results if r is not None]) == 1
    assert await claim_period("tests.hourly", 3600) is None
    assert await PeriodicRun.filter(name="tests.hourly").count() == 1


async def test_periodic_jobs_run_once_per_period_in_process(site_factory):
    site = await _site(site_factory)
    assert "tests.tick" in await site.jobs.run_due_periodic()
    assert await site.jobs.run_due_periodic() == []
    assert RUNS == ["tick"]


async def test_a_failed_task_is_retried_then_visible_as_failed(site_factory):
    site = await _site(site_factory)
    retried = await defer(site, "tests.flaky", key="a", fail_times=1)
    doomed = await defer(site, "tests.flaky", key="b", fail_times=99)
    for _ in range(4):
        await site.jobs.run_pending()
    assert (await QueuedJob.get(id=retried)).status == "succeeded"
    assert RUNS.count("a") == 2 and RUNS.count("b") == 3  # one run + two retries
    failed = [job for job in await site.jobs.list_jobs() if job.status == "failed"]
    assert [(j.id, j.task, j.attempts) for j in failed] == [(doomed, "tests.flaky", 3)]
    assert "temporary failure of b" in failed[0].error


async def test_a_retry_waits_for_its_backoff(site_factory):
    site = await _site(site_factory)
    job_id = await defer(site, "tests.slow", key="c", fail_times=1)
    assert await site.jobs.run_pending() == 1
    row = await QueuedJob.get(id=job_id)
    assert row.status == "todo" and row.attempts == 1 and row.scheduled_at is not None
    assert await site.jobs.run_pending() == 0  # not before its backoff (5 s)
    assert RUNS == ["c"]


async def test_a_queueing_lock_keeps_one_job_waiting(site_factory):
    site = await _site(site_factory)
    first = await defer(site, "tests.once", key="x", fail_times=0, queueing_lock="only-one")
    second = await defer(site, "tests.once", key="x", fail_times=0, queueing_lock="only-one")
    assert first is not None and second is None
    with pytest.raises(KeyError):
        await defer(site, "tests.unknown")


def test_jobs_list_shows_failed_and_periodic_jobs(tmp_path):
    from tisserand.cli.main import app
    from tisserand.cli.runtime import run_with_site

    runner = CliRunner()
    assert runner.invoke(app, ["init", str(tmp_path / "site")]).exit_code == 0

    async def fail_one(site):
        await QueuedJob.create(task="digests.dispatch_call", args={"call_id": 7}, status="failed",
                               attempts=6, error="SMTPServerDisconnected: gone")

    run_with_site(fail_one, tmp_path / "site")
    result = runner.invoke(app, ["--instance", str(tmp_path / "site"), "jobs", "list", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert [(j["task"], j["status"], j["attempts"]) for j in data["jobs"]] == [("digests.dispatch_call", "failed", 6)]
    assert data["jobs"][0]["error"] == "SMTPServerDisconnected: gone"
    assert "digests.send" in [p["name"] for p in data["periodic"]]
    table = runner.invoke(app, ["--instance", str(tmp_path / "site"), "jobs", "list"])
    assert "digests.dispatch_call" in table.stdout and "failed" in table.stdout


async def test_admins_see_the_jobs_page(site_factory):
    site = await _site(site_factory)
    from tisserand.testing.client import TestClient
    from tisserand.testing.factory import Factory
    from tisserand.web.app import create_app

    await defer(site, "tests.once", key="page", fail_times=5)
    await site.jobs.run_pending()
    people = Factory(site)
    admin, member = await people.member(admin=True), await people.member()
    async with TestClient.for_app(create_app(site, run_scheduler=False)) as client:
        await client.login_as(member)
        assert (await client.get("/admin/jobs")).status_code in (403, 404)
        await client.login_as(admin)
        page = await client.get("/admin/jobs")
    assert page.status_code == 200
    assert "tests.once" in page.text and "temporary failure of page" in page.text and "tests.tick" in page.text
