"""Operator commands: plugins list, user create, community create."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from tisserand.auth import member_by_username
from tisserand.cli import operator_commands
from tisserand.cli.runtime import fail, instance_dir, load_site, run_with_site

plugins_app = typer.Typer(help="Installed plugins.", no_args_is_help=True)
user_app = typer.Typer(help="Accounts: create, list, show, deactivate, reactivate.", no_args_is_help=True)
community_app = typer.Typer(help="Communities: create, list, show, set-parent, set-role.", no_args_is_help=True)


@plugins_app.command("list")
def plugins_list() -> None:
    """Installed plugins: name, version, enabled, communities using it, hooks, permissions."""
    site = load_site(instance_dir())

    async def counts(site: Any) -> dict[str, int]:
        from tisserand.models import Community

        usage = dict.fromkeys(site.plugins.enabled, 0)
        for community in await Community.all().only("id", "plugins"):
            for name in site.plugins.community_plugins(community):
                usage[name] += 1
        return usage

    usage = run_with_site(counts, instance_dir())
    permissions = {name: [p.name for p in declared]
                   for name, declared in site.plugins.per_plugin("tisserand_permissions")}
    table = Table(title="Plugins")
    for column in ("name", "version", "enabled", "communities", "hooks", "permissions"):
        table.add_column(column)
    for info in site.plugins.info():
        table.add_row(info.name, info.version, "yes" if info.enabled else "no",
                      str(usage.get(info.name, "-")), ", ".join(info.hooks),
                      ", ".join(permissions.get(info.name, [])))
    Console(width=200).print(table)


@user_app.command("create")
def user_create(
    username: Annotated[str, typer.Argument(help="Login name (lower-case letters, digits, . - _).")],
    email: Annotated[str, typer.Option("--email", help="E-mail address.")],
    password: Annotated[str | None, typer.Option(help="Password (asked when not given).")] = None,
    admin: Annotated[bool, typer.Option("--admin", help="Make a site administrator.")] = False,
    display_name: Annotated[str, typer.Option(help="Name shown to others.")] = "",
) -> None:
    """Create an account."""
    if password is None:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)

    async def create(site: Any) -> Any:
        from datetime import UTC, datetime

        from tisserand.auth import create_member

        member = await create_member(site.settings, username=username, email=email,
                                     password=password, display_name=display_name, is_admin=admin)
        member.email_verified_at = datetime.now(UTC)
        await member.save(update_fields=["email_verified_at"])
        return member

    member = run_with_site(create, instance_dir())
    typer.echo(f"Created {'admin ' if admin else ''}account '{member.username}'.")


@user_app.command("login-link")
def user_login_link(
    username: Annotated[str, typer.Argument(help="The account to log in as (an administrator, usually).")],
    minutes: Annotated[int, typer.Option(help="How long the link works.", min=1, max=60)] = 15,
) -> None:
    """Print a one-time log-in link (break-glass: works when local passwords are off, or the
    identity provider is down). Using it is written to the audit log."""

    async def make(site: Any) -> str:
        from tisserand.tickets import issue_ticket

        member = await member_by_username(username.strip().lower(), is_active=True)
        if member is None:
            fail(f"No active account named '{username}'.")
        secret = await issue_ticket("break-glass", member=member, seconds=minutes * 60)
        return str(site.url(f"/login/link/{secret}"))

    link = run_with_site(make, instance_dir())
    typer.echo(link)
    typer.echo(f"This link logs in as '{username}' once, within {minutes} minutes.", err=True)


@community_app.command("create")
def community_create(
    slug: Annotated[str, typer.Argument(help="Address: /c/SLUG.")],
    name: Annotated[str, typer.Option("--name", help="The community's name.")],
    visibility: Annotated[str, typer.Option(help="public, private or secret.")] = "public",
    join_policy: Annotated[str, typer.Option(help="open, request or invite.")] = "open",
    coordinator: Annotated[str | None, typer.Option(help="Username of the first coordinator.")] = None,
    description: Annotated[str, typer.Option(help="A sentence about the community.")] = "",
) -> None:
    """Create a community."""

    async def create(site: Any) -> Any:
        from tisserand.communities import create_community

        creator = None
        if coordinator:
            creator = await member_by_username(coordinator.lower())
            if creator is None:
                fail(f"no account named '{coordinator}'")
        return await create_community(creator, slug=slug, name=name, description=description,
                                      visibility=visibility, join_policy=join_policy)

    community = run_with_site(create, instance_dir())
    typer.echo(f"Created community '{community.slug}' ({community.visibility}).")


def register(app: typer.Typer) -> None:
    """Add the operator command groups to ``app``."""
    app.add_typer(plugins_app, name="plugins")
    operator_commands.register(user_app, community_app)
    # One group under two names: "users list" reads naturally, and so does "user create".
    app.add_typer(user_app, name="users")
    app.add_typer(user_app, name="user", hidden=True)
    app.add_typer(community_app, name="community")
    app.add_typer(community_app, name="communities", hidden=True)
