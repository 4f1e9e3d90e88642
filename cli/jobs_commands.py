"""Background work: ``tisserand worker``, ``tisserand jobs list|run|retry``."""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from tisserand.cli.runtime import fail, instance_dir, run_with_site

jobs_app = typer.Typer(help="Background jobs: queued, running, failed and periodic.", no_args_is_help=True)


def worker(concurrency: Annotated[int, typer.Option("--concurrency", "-c", min=1, max=100,
                                                     help="Jobs run side by side.")] = 1) -> None:
    """Run background jobs (and periodic ones) until stopped with Ctrl-C or SIGTERM; start as
    many as you like, on any machine that reaches the database."""
    async def run(site: Any) -> None:
        from tisserand.jobs import queue_backend
        from tisserand.logs import configure_logging

        configure_logging(site.settings)

        typer.echo(f"Worker started ({queue_backend(site)} queue, concurrency {concurrency}).", err=True)
        await site.jobs.run_worker(concurrency=concurrency)

    run_with_site(run, instance_dir())


@jobs_app.command("list")
def jobs_list(as_json: Annotated[bool, typer.Option("--json", help="JSON on stdout.")] = False) -> None:
    """Queued, running and failed jobs, and the periodic jobs of the enabled plugins."""
    from tisserand.jobs import all_jobs

    async def collect(site: Any) -> tuple[list[Any], list[Any]]:
        return await site.jobs.list_jobs(), list(all_jobs(site).values())

    queued, periodic = run_with_site(collect, instance_dir())
    if as_json:
        typer.echo(json.dumps({
            "jobs": [job.as_json() for job in queued],
            "periodic": [{"name": j.name, "every_seconds": j.seconds, "description": j.description}
                         for j in periodic]}, indent=2))
        return
    console = Console(width=160)
    table = Table(title="Jobs")
    for column in ("id", "task", "status", "attempts", "scheduled", "error"):
        table.add_column(column)
    for job in queued:
        table.add_row(str(job.id), job.task, job.status, str(job.attempts),
                      job.scheduled_at.isoformat(timespec="seconds") if job.scheduled_at else "",
                      (job.error or "")[:80])
    console.print(table)
    table = Table(title="Periodic jobs")
    for column in ("name", "every", "description"):
        table.add_column(column)
    for job in periodic:
        table.add_row(job.name, str(job.every), job.description)
    console.print(table)


@jobs_app.command("run")
def jobs_run(name: Annotated[str, typer.Argument(help="Periodic job name (see 'jobs list').")]) -> None:
    """Run one periodic job now, in this process."""
    from tisserand.jobs import all_jobs

    async def run(site: Any) -> None:
        jobs = all_jobs(site)
        if name not in jobs:
            fail(f"no job named '{name}' (known: {', '.join(sorted(jobs)) or 'none'})")
        await jobs[name].func(site)

    run_with_site(run, instance_dir())
    typer.echo(f"Ran {name}.")


def register(app: typer.Typer) -> None:
    """Add ``worker`` and the ``jobs`` group to ``app``."""
    app.command("worker")(worker)
    app.add_typer(jobs_app, name="jobs")
