"""Operators' everyday commands: list and show accounts and communities, deactivate and
reactivate accounts, set roles, move communities — each listing with ``--json`` for scripts."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from tisserand.auth import member_by_username
from tisserand.cli.runtime import fail, instance_dir, run_with_site

JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON (for scripts) instead of a table.")]

MEMBER_COLUMNS = ("username", "display_name", "email", "is_admin", "is_active", "email_verified_at",
                  "created_at", "last_seen_at")
COMMUNITY_COLUMNS = ("slug", "name", "visibility", "join_policy", "status", "parent", "member_count",
                     "plugins", "created_at")


def _plain(value: Any) -> Any:
    """A JSON-ready value: ISO 8601 for dates and times."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _print(rows: list[dict[str, Any]], columns: tuple[str, ...], title: str, as_json: bool) -> None:
    """Rows as JSON (one array) or as a table."""
    if as_json:
        typer.echo(json.dumps([{k: _plain(row.get(k)) for k in columns} for row in rows],
                              ensure_ascii=False, indent=2))
        return
    table = Table(title=title)
    for column in columns:
        table.add_column(column)
    for row in rows:
        table.add_row(*("" if row.get(c) is None else str(_plain(row.get(c))) for c in columns))
    Console(width=200).print(table)


async def _member(username: str) -> Any:

    member = await member_by_username(username.strip().lower())
    if member is None:
        fail(f"no account named '{username}'")
    return member


async def _community(slug: str) -> Any:
    from tisserand.models import Community

    community = await Community.get_or_none(slug=slug.strip().lower())
    if community is None:
        fail(f"no community with the address '{slug}'")
    return community


def users_list(
    as_json: JsonOption = False,
    inactive: Annotated[bool, typer.Option("--inactive", help="Only deactivated accounts.")] = False,
    admins: Annotated[bool, typer.Option("--admins", help="Only site administrators.")] = False,
) -> None:
    """List accounts, by username."""

    async def rows(site: Any) -> list[dict[str, Any]]:
        from tisserand.models import Member

        query = Member.filter(is_placeholder=False)
        if inactive:
            query = query.filter(is_active=False)
        if admins:
            query = query.filter(is_admin=True)
        return await query.order_by("username").values(*MEMBER_COLUMNS)

    _print(run_with_site(rows, instance_dir()), MEMBER_COLUMNS, "Accounts", as_json)


def users_show(username: Annotated[str, typer.Argument(help="The account's username.")],
               as_json: JsonOption = False) -> None:
    """Show one account and its memberships."""

    async def details(site: Any) -> dict[str, Any]:
        from tisserand.models import Member, Membership

        member = await _member(username)
        row = (await Member.filter(id=member.id).values(*MEMBER_COLUMNS))[0]
        row["memberships"] = await Membership.filter(member_id=member.id).order_by(
            "community__slug").values(community="community__slug", role="role", state="state")
        return row

    row = run_with_site(details, instance_dir())
    if as_json:
        typer.echo(json.dumps({k: _plain(v) for k, v in row.items()}, ensure_ascii=False, indent=2))
        return
    for key in MEMBER_COLUMNS:
        typer.echo(f"{key}: {'' if row[key] is None else _plain(row[key])}")
    typer.echo("memberships: " + (", ".join(f"{m['community']} ({m['role']}, {m['state']})"
                                          for m in row["memberships"]) or "none"))


def users_deactivate(username: Annotated[str, typer.Argument(help="The account's username.")]) -> None:
    """Deactivate an account: it is signed out everywhere, its API tokens end, it can't log in."""

    async def run(site: Any) -> bool:
        from tisserand.accounts import deactivate_member

        return await deactivate_member(await _member(username), None)

    changed = run_with_site(run, instance_dir())
    typer.echo(f"Deactivated '{username.lower()}'." if changed else f"'{username.lower()}' was already inactive.")


def users_reactivate(username: Annotated[str, typer.Argument(help="The account's username.")]) -> None:
    """Reactivate a deactivated account (its owner logs in again)."""

    async def run(site: Any) -> bool:
        from tisserand.accounts import reactivate_member

        return await reactivate_member(await _member(username), None)

    changed = run_with_site(run, instance_dir())
    typer.echo(f"Reactivated '{username.lower()}'." if changed else f"'{username.lower()}' was already active.")


async def _community_rows(slug: str | None = None) -> list[dict[str, Any]]:
    from tisserand.models import Community

    query = Community.all() if slug is None else Community.filter(slug=slug)
    rows = await query.order_by("slug").values(
        *[c for c in COMMUNITY_COLUMNS if c != "parent"], parent="parent__slug")
    for row in rows:
        row["visibility"], row["join_policy"], row["status"] = (
            str(row["visibility"]), str(row["join_policy"]), str(row["status"]))
    return rows


def communities_list(as_json: JsonOption = False) -> None:
    """List every community (secret ones included), by address."""

    async def rows(site: Any) -> list[dict[str, Any]]:
        return await _community_rows()

    _print(run_with_site(rows, instance_dir()), COMMUNITY_COLUMNS, "Communities", as_json)


def communities_show(slug: Annotated[str, typer.Argument(help="The community's address.")],
                     as_json: JsonOption = False) -> None:
    """Show one community with its coordinators and animators."""

    async def details(site: Any) -> dict[str, Any]:
        from tisserand.models import Membership

        community = await _community(slug)
        row = (await _community_rows(community.slug))[0]
        row["staff"] = await Membership.filter(
            community_id=community.id, state="active", role__in=["coordinator", "animator", "sponsor"]
        ).order_by("role", "member__username").values(username="member__username", role="role")
        for person in row["staff"]:
            person["role"] = str(person["role"])
        return row

    row = run_with_site(details, instance_dir())
    if as_json:
        typer.echo(json.dumps({k: _plain(v) for k, v in row.items()}, ensure_ascii=False, indent=2))
        return
    for key in COMMUNITY_COLUMNS:
        typer.echo(f"{key}: {'' if row[key] is None else _plain(row[key])}")
    typer.echo("staff: " + (", ".join(f"{p['username']} ({p['role']})" for p in row["staff"]) or "none"))


def community_set_parent(
    slug: Annotated[str, typer.Argument(help="The community to move.")],
    parent: Annotated[str | None, typer.Argument(help="Its new parent's address; leave out with --top.")] = None,
    top: Annotated[bool, typer.Option("--top", help="Make it a top-level community.")] = False,
) -> None:
    """Place a community under another one (loops are refused)."""
    if (parent is None) == (not top):
        fail("give a parent community, or --top to make it a top-level community")

    async def run(site: Any) -> None:
        from tisserand.communities import set_parent

        community = await _community(slug)
        await set_parent(community, await _community(parent) if parent else None, None)

    run_with_site(run, instance_dir())
    typer.echo(f"'{slug.lower()}' is now under '{parent.lower()}'." if parent
               else f"'{slug.lower()}' is now a top-level community.")


def community_set_role(
    slug: Annotated[str, typer.Argument(help="The community's address.")],
    username: Annotated[str, typer.Argument(help="A member of that community.")],
    role: Annotated[str, typer.Argument(help="coordinator, animator, sponsor, member or observer.")],
) -> None:
    """Change a member's role in a community (the last coordinator can't be demoted)."""

    async def run(site: Any) -> None:
        from tisserand.communities import set_role

        await set_role(None, await _community(slug), await _member(username), role.strip().lower())

    run_with_site(run, instance_dir())
    typer.echo(f"'{username.lower()}' is now {role.strip().lower()} of '{slug.lower()}'.")


def community_plugins(
    slug: Annotated[str, typer.Argument(help="The community's address.")],
    enable: Annotated[list[str] | None, typer.Option("--enable", help="Switch this plugin on (repeatable).")] = None,
    disable: Annotated[list[str] | None, typer.Option("--disable", help="Switch this plugin off (repeatable).")] = None,
    as_json: JsonOption = False,
) -> None:
    """Show the plugins of a community, on and off; --enable and --disable switch them (as the
    community's settings page does: only plugins the site enables)."""
    on_names = [name.strip().lower() for name in enable or []]
    off_names = [name.strip().lower() for name in disable or []]
    both = sorted(set(on_names) & set(off_names))
    if both:
        fail(f"both --enable and --disable name {', '.join(both)}")

    async def run(site: Any) -> list[dict[str, Any]]:
        from tisserand.communities import switch_plugins

        community = await _community(slug)
        unknown = [name for name in on_names + off_names if name not in site.plugins.enabled]
        if unknown:
            fail(f"not enabled on this site: {', '.join(unknown)} (enabled: {', '.join(site.plugins.enabled)})")
        if on_names or off_names:
            current = set(site.plugins.community_plugins(community))
            await switch_plugins(community, sorted((current | set(on_names)) - set(off_names)), None)
        switched_on = set(site.plugins.community_plugins(community))
        return [{"plugin": name, "on": name in switched_on} for name in site.plugins.enabled]

    rows = run_with_site(run, instance_dir())
    _print(rows, ("plugin", "on"), f"Plugins of {slug.lower()}", as_json)


def register(user_app: typer.Typer, community_app: typer.Typer) -> None:
    """Add the operators' commands to the ``users`` and ``communities`` groups."""
    user_app.command("list")(users_list)
    user_app.command("show")(users_show)
    user_app.command("deactivate")(users_deactivate)
    user_app.command("reactivate")(users_reactivate)
    community_app.command("list")(communities_list)
    community_app.command("show")(communities_show)
    community_app.command("set-parent")(community_set_parent)
    community_app.command("set-role")(community_set_role)
    community_app.command("plugins")(community_plugins)
