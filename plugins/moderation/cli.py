"""``tisserand moderation``: bans, trust levels and the site's watched words from the command
line (the operator acts as the site; every change is in the audit log)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated, Any

import typer


def moderation_app() -> typer.Typer:
    """The sub-command group."""
    app = typer.Typer(help="Moderation: site bans, trust levels, site-wide watched words.", no_args_is_help=True)

    @app.command("ban")
    def ban(
        username: Annotated[str, typer.Argument(help="The member to ban from the whole site.")],
        reason: Annotated[str, typer.Option("--reason", help="Why (the member reads it by e-mail).")],
        days: Annotated[int | None, typer.Option(help="For this many days (default: until lifted).")] = None,
    ) -> None:
        """Ban a member from the site: their sessions and API tokens end now."""
        from tisserand.cli.runtime import instance_dir, run_with_site

        async def go(site: Any) -> str:
            from tisserand.plugins.moderation.sanctions import ban as give_ban

            member = await _member(username)
            until = datetime.now(UTC) + timedelta(days=days) if days else None
            sanction = await give_ban(site, None, member, reason, until)
            return f"Banned '{member.username}'" + (f" until {sanction.ends_at:%Y-%m-%d %H:%M} UTC." if until else ".")

        typer.echo(run_with_site(go, instance_dir()))

    @app.command("unban")
    def unban(
        username: Annotated[str, typer.Argument(help="The banned member.")],
        reason: Annotated[str, typer.Option("--reason", help="Why the ban ends now.")] = "",
    ) -> None:
        """Lift a member's ban now."""
        from tisserand.cli.runtime import fail, instance_dir, run_with_site

        async def go(site: Any) -> int:
            from tisserand.plugins.moderation.models import Sanction
            from tisserand.plugins.moderation.sanctions import lift

            member = await _member(username)
            rows = await Sanction.filter(member_id=member.id, kind="ban", closed_at__isnull=True)
            for row in rows:
                await lift(site, row, None, reason or "lifted")
            return len(rows)

        if not run_with_site(go, instance_dir()):
            fail(f"'{username}' is not banned")
        typer.echo(f"The ban of '{username}' is lifted.")

    @app.command("trust")
    def trust_level(
        username: Annotated[str, typer.Argument(help="A member.")],
        lock: Annotated[str | None, typer.Option(help="Fix the level: new, basic, member or regular.")] = None,
        unlock: Annotated[bool, typer.Option("--unlock", help="Let activity decide again.")] = False,
    ) -> None:
        """Show a member's trust level, or lock it."""
        from tisserand.cli.runtime import fail, instance_dir, run_with_site
        from tisserand.plugins.moderation.config import LEVELS

        if lock is not None and lock not in LEVELS:
            fail(f"--lock must be one of {', '.join(LEVELS)}")

        async def go(site: Any) -> dict[str, Any]:
            from tisserand.plugins.moderation import trust
            from tisserand.plugins.moderation.settings_service import trust_of

            member = await _member(username)
            if lock is not None or unlock:
                await trust.lock(member, LEVELS.index(lock) if lock else None)
            else:
                await trust.refresh(site, [member.id])
            return await trust_of(site, member)

        data = run_with_site(go, instance_dir())
        typer.echo(f"{username}: {data['level']}{' (locked)' if data['locked'] else ''} — "
                   f"{data['days_visited']} days visited, {data['posts_written']} posts, "
                   f"{data['flags_upheld']} upheld flags")

    @app.command("words")
    def site_words(
        add: Annotated[str | None, typer.Option(help="A word, phrase or domain to watch site-wide.")] = None,
        action: Annotated[str, typer.Option(help="block, hold, replace or allow.")] = "hold",
        domain: Annotated[bool, typer.Option("--domain", help="ADD is a link domain.")] = False,
        remove: Annotated[int | None, typer.Option(help="The id of a site entry to remove.")] = None,
    ) -> None:
        """List the site's watched words (with ids), add one, or remove one."""
        from tisserand.cli.runtime import instance_dir, run_with_site

        async def go(site: Any) -> list[Any]:
            from tisserand.plugins.moderation import words

            if add:
                await words.save(None, None, "domain" if domain else "word", add, action)
            if remove is not None:
                await words.remove(None, None, remove)
            return [w for w in await words.listing(None) if w.scope == "site"]

        for row in run_with_site(go, instance_dir()):
            typer.echo(f"{row.id}\t{row.kind}\t{row.action}\t{row.pattern}")

    @app.command("refresh-trust")
    def refresh() -> None:
        """Recompute every member's trust level now (the hourly job does it too)."""
        from tisserand.cli.runtime import instance_dir, run_with_site

        async def go(site: Any) -> int:
            from tisserand.plugins.moderation.trust import refresh as run

            return await run(site)

        typer.echo(f"{run_with_site(go, instance_dir())} members changed level.")

    return app


async def _member(username: str) -> Any:
    from tisserand.auth import member_by_username
    from tisserand.errors import NotFound

    member = await member_by_username(username.strip().lower())
    if member is None:
        raise NotFound(f"no member '{username}'")
    return member
