"""``tisserand insights``: rebuild history after switching insights on, compute the daily rows now."""

from __future__ import annotations

from typing import Annotated, Any

import typer

insights_app = typer.Typer(help="Community insights: history and daily rows.", no_args_is_help=True)


@insights_app.command("backfill")
def backfill_command(slugs: Annotated[list[str] | None, typer.Argument(
        help="Communities to rebuild (all with insights switched on when none is given).")] = None,
        queue: Annotated[bool, typer.Option(
            "--queue", help="Leave the work to the workers: one 'insights.backfill' task per community.")] = False,
) -> None:
    """Rebuild past posts, replies, topics answered and members from the core's tables."""
    from tisserand.cli.runtime import fail, run_with_site

    async def choose(site: Any) -> list[Any]:
        from tisserand.models import Community

        chosen = [c for c in await Community.all() if "insights" in site.plugins.community_plugins(c)]
        if slugs:
            unknown = set(slugs) - {c.slug for c in chosen}
            if unknown:
                fail(f"no community with insights switched on: {', '.join(sorted(unknown))}")
            chosen = [c for c in chosen if c.slug in slugs]
        return chosen

    if queue:
        async def enqueue(site: Any) -> tuple[int, int]:
            from tisserand.plugins.insights.backfill import queue_backfills

            chosen = await choose(site)
            return len(chosen), await queue_backfills(site, chosen)

        chosen, queued = run_with_site(enqueue)
        waiting = f" ({chosen - queued} already waiting)" if queued < chosen else ""
        typer.echo(f"{queued} backfill tasks queued{waiting}; a worker runs them (see 'tisserand jobs list').")
        return

    async def work(site: Any) -> dict[str, int]:
        from tisserand.plugins.insights.backfill import backfill

        return await backfill(site, await choose(site))

    added = run_with_site(work)
    typer.echo(f"{added['items']} posts and replies, {added['topics']} topics, {added['members']} members added; "
               f"{added['days']} daily rows computed.")


@insights_app.command("aggregate")
def aggregate_command() -> None:
    """Do the hourly job's work now: compute the due daily rows, then the quiet-community
    alerts (coordinators are told, once per lull, as by the job)."""
    from tisserand.cli.runtime import run_with_site

    async def work(site: Any) -> Any:
        from tisserand.plugins.insights.aggregate import hourly

        return await hourly(site)

    done = run_with_site(work)
    typer.echo(f"{done.rows} daily rows computed; {len(done.alerts)} quiet-community alerts opened.")
