"""``tisserand digests``: send due digests (with a progress bar and a summary), see the state
of the current periods, preview a member's next digest."""

from __future__ import annotations

from datetime import timedelta
from enum import StrEnum
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

digests_app = typer.Typer(help="E-mail digests: send them, check them, preview them.", no_args_is_help=True)


class PeriodChoice(StrEnum):
    """The periods a digest can cover."""

    daily = "daily"
    weekly = "weekly"
    monthly = "monthly"


def _summary(console: Console, reports: list[Any]) -> None:
    table = Table(title="Digests")
    for column in ("period", "window", "due", "sent", "empty", "skipped", "failed", "bounced", "errors",
                   "uncertain", "seconds", "members/s"):
        table.add_column(column, justify="right" if column not in ("period", "window") else "left")
    for r in reports:
        table.add_row(r.period + (" (dry run)" if r.dry_run else ""),
                      f"{r.since:%Y-%m-%d} → {r.until - timedelta(seconds=1):%Y-%m-%d}", str(r.due), str(r.sent), str(r.empty),
                      str(r.skipped), str(r.failed), str(r.bounced), str(r.errors), str(r.uncertain),
                      f"{r.seconds:.1f}", f"{r.rate:.0f}")
    console.print(table)
    if any(r.dry_run for r in reports):
        console.print("Dry run: nothing was sent or recorded; 'sent' counts the digests that would go out.")
    if any(r.uncertain for r in reports):
        console.print("[yellow]Uncertain[/]: messages being handed to the mail server when an earlier run "
                      "crashed; they are not sent again (see docs/plugins/digests.md).")


@digests_app.command("send")
def send(
    period: Annotated[PeriodChoice | None, typer.Option(help="Only this period (default: all three).")] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Build the digests and count them; send and record nothing.")] = False,
) -> None:
    """Build and send the due digests of the last complete period(s), exactly once per member."""
    from tisserand.cli.runtime import run_with_site
    from tisserand.plugins.digests.runner import DigestRun

    console = Console(stderr=True)
    periods = [period.value] if period else ["daily", "weekly", "monthly"]

    async def main(site: Any) -> list[Any]:
        reports = []
        with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                      TimeRemainingColumn(), console=console, transient=False) as progress:
            for name in periods:
                task = progress.add_task(f"{name} digests", total=None)

                def started(total: int, t: Any = task) -> None:
                    progress.update(t, total=total)

                def advanced(n: int, t: Any = task) -> None:
                    progress.advance(t, n)

                run = DigestRun(site, name, dry_run=dry_run, on_start=started, on_progress=advanced)
                reports.append(await run.run())
                progress.update(task, completed=reports[-1].due)
        return reports

    reports = run_with_site(main)
    _summary(Console(), reports)
    if any(r.errors for r in reports):
        raise typer.Exit(1)


@digests_app.command("status")
def status() -> None:
    """Deliveries of the current periods by state, and members whose e-mail is paused."""
    from tisserand.cli.runtime import run_with_site
    from tisserand.db import fetch_all
    from tisserand.plugins.digests import ledger
    from tisserand.plugins.digests.periods import previous_window, zone

    async def main(site: Any) -> tuple[list[tuple[str, dict[str, int]]], int]:
        tz = zone(site.settings.site.timezone)
        rows = [(w.key, await ledger.counts(w.key))
                for w in (previous_window(p, tz=tz) for p in ("daily", "weekly", "monthly"))]
        paused = await fetch_all("SELECT COUNT(*) AS n FROM digests_account WHERE email_paused_at IS NOT NULL")
        return rows, int(paused[0]["n"])

    rows, paused = run_with_site(main)
    table = Table(title="Digest deliveries")
    table.add_column("key")
    states = ("sent", "empty", "claimed", "sending", "failed", "bounced")
    for state in states:
        table.add_column(state, justify="right")
    for key, counts in rows:
        table.add_row(key, *(str(counts.get(s, 0)) for s in states))
    console = Console()
    console.print(table)
    console.print(f"Members whose e-mail is paused after bounces: {paused}")


@digests_app.command("preview")
def preview_command(
    username: Annotated[str, typer.Argument(help="The member whose next digest to show.")],
    period: Annotated[PeriodChoice | None, typer.Option(help="The period (default: the member's).")] = None,
    html: Annotated[bool, typer.Option("--html", help="Print the HTML part instead of the text.")] = False,
) -> None:
    """Print what a member's next digest holds so far."""
    from tisserand.cli.runtime import fail, run_with_site
    from tisserand.plugins.digests.preview import preview
    from tisserand.plugins.digests.render import language, member_language

    async def main(site: Any) -> dict[str, Any] | None:
        from tisserand.auth import member_by_username

        member = await member_by_username(username.strip().lower())
        if member is None:
            return None
        with language(member_language(site, member)):
            return await preview(site, member, period.value if period else None)

    result = run_with_site(main)
    if result is None:
        fail(f"no member named {username!r}")
    typer.echo(f"Subject: {result['subject']}")
    typer.echo("(empty: it would not be sent)" if result["empty"] else "")
    typer.echo(result["html"] if html else result["text"])
