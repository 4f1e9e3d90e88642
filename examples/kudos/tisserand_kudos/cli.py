"""``tisserand kudos top SLUG``: the most thanked members of a community, for operators and scripts."""

from __future__ import annotations

from typing import Any

import typer

from tisserand.cli.runtime import fail, run_with_site
from tisserand.db import fetch_all
from tisserand.i18n import _
from tisserand.models import Community


async def most_thanked(slug: str, limit: int) -> list[dict[str, Any]] | None:
    """``[{username, total}]`` for community ``slug``, most thanked first; None if it does not exist."""
    community = await Community.get_or_none(slug=slug)
    if community is None:
        return None
    return await fetch_all(
        "SELECT m.username, COUNT(*) AS total FROM kudos k JOIN member m ON m.id = k.receiver_id "
        "WHERE k.community_id = ? GROUP BY m.id, m.username ORDER BY total DESC, m.username LIMIT ?",
        [community.id, limit])


def commands() -> typer.Typer:
    """The ``kudos`` command group."""
    sub = typer.Typer(help="Kudos: thanks between members.", no_args_is_help=True)

    @sub.command()
    def top(slug: str = typer.Argument(..., help="The community's slug."),
            limit: int = typer.Option(10, min=1, max=100, help="How many members to list.")) -> None:
        """The most thanked members of a community, one per line: count, then username."""
        # run_with_site starts the site of --instance (or TISSERAND_INSTANCE), runs the coroutine
        # and stops it; a TisserandError raised inside becomes one line on stderr.
        rows = run_with_site(lambda site: most_thanked(slug, limit))
        if rows is None:
            fail(_("No community {slug}.", slug=slug))  # "Error: …" on stderr, exit status 1
        for row in rows:
            typer.echo(f"{row['total']}\t{row['username']}")

    return sub
