"""Commands that create, migrate and serve an instance: init, demo, serve, migrate, makemigrations."""

from __future__ import annotations

import asyncio
import os
import secrets
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn

from tisserand.cli.runtime import fail, instance_dir, load_site, run_with_site

BUILTIN_PLUGINS = ["forums", "wiki", "meetups", "moderation", "digests", "archive", "surveys", "insights",
                   "resources"]

CONFIG_TEMPLATE = """# Tisserand instance configuration. Every key is documented in docs/admin-guide.md.
[site]
name = "{name}"
base_url = "http://127.0.0.1:8000"
default_locale = "fr"
theme = "default"
secret_key = "{secret}"

[database]
url = "sqlite://data/tisserand.sqlite3"

[plugins]
enabled = {plugins}

[mail]
backend = "console"
sender = "{name} <noreply@localhost>"
"""


def write_instance(folder: Path, name: str = "Tisserand") -> Path:
    """Create the instance folder with a config file (a fresh secret key) and data/."""
    folder.mkdir(parents=True, exist_ok=True)
    config = folder / "tisserand.toml"
    if config.exists():
        raise FileExistsError(str(config))
    (folder / "data").mkdir(exist_ok=True)
    (folder / "templates").mkdir(exist_ok=True)
    plugins = "[" + ", ".join(f'"{p}"' for p in BUILTIN_PLUGINS) + "]"
    config.write_text(CONFIG_TEMPLATE.format(name=name, secret=secrets.token_urlsafe(48),
                                             plugins=plugins), encoding="utf-8")
    return config


def migrate_instance(folder: Path | None) -> None:
    """Apply pending migrations with a progress display."""
    from tisserand.migrate import apply_migrations

    site = load_site(folder)
    with Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(),
                  TextColumn("{task.completed} applied")) as progress:
        task = progress.add_task("Migrating", total=None)

        def report(event: str, app_label: str, name: str) -> None:
            if event.endswith("done"):
                progress.update(task, advance=1, description=f"{app_label}.{name}")

        asyncio.run(apply_migrations(site.settings, site.plugins, progress=report))
        progress.update(task, description="Database up to date")


def register(app: typer.Typer) -> None:
    """Add the instance commands to ``app``."""

    @app.callback()
    def main(
        instance: Annotated[Path | None, typer.Option(
            "--instance", help="Instance folder (default: $TISSERAND_INSTANCE or the current folder).")] = None,
    ) -> None:
        """Tisserand: communities of practice with forums, wikis, meet-ups, moderation, digests and archives."""
        if instance is not None:
            os.environ["TISSERAND_INSTANCE"] = str(instance)

    @app.command()
    def init(
        directory: Annotated[Path, typer.Argument(help="Folder of the new instance.")],
        demo: Annotated[bool, typer.Option("--demo", help="Add sample communities, members and content (French and English).")] = False,
        name: Annotated[str, typer.Option(help="The site's name.")] = "Tisserand",
    ) -> None:
        """Write a new instance: config, SQLite database, migrations applied."""
        try:
            config = write_instance(directory, "Passerelles (démo)" if demo and name == "Tisserand" else name)
        except FileExistsError:
            fail(f"{directory / 'tisserand.toml'} already exists: this folder is an instance already")
        migrate_instance(directory)
        if demo:
            from tisserand.demo import populate

            run_with_site(populate, directory)
        typer.echo(f"Instance ready in {directory} (config: {config}).")
        typer.echo(f"Next: tisserand --instance {directory} user create NAME --email E --admin")

    @app.command()
    def demo(
        directory: Annotated[Path, typer.Option(help="Folder of the demo instance.")] = Path("demo-site"),
        host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
        port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    ) -> None:
        """Create a demo instance (if none) and serve it: the one-command tour."""
        if not (directory / "tisserand.toml").exists():
            write_instance(directory, "Passerelles (démo)")
            migrate_instance(directory)
            from tisserand.demo import populate

            run_with_site(populate, directory)
        else:
            migrate_instance(directory)
        from tisserand.demo import banner

        typer.echo(banner(f"http://{host}:{port}/"))
        # Warnings and errors only: the console stays readable for the e-mails it prints.
        serve_instance(directory, host, port, 1, log_level="warning")

    @app.command()
    def serve(
        host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
        port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
        workers: Annotated[int, typer.Option(help="Worker processes.", min=1)] = 1,
    ) -> None:
        """Run the web application with uvicorn."""
        serve_instance(instance_dir(), host, port, workers)

    @app.command()
    def migrate() -> None:
        """Apply pending schema migrations (the core and every enabled plugin)."""
        migrate_instance(instance_dir())

    @app.command()
    def makemigrations(
        apps: Annotated[list[str], typer.Argument(help="App labels: 'core' or plugin names.")],
        name: Annotated[str | None, typer.Option(help="Name of the migration file.")] = None,
    ) -> None:
        """Write migration files for model changes (for core and plugin developers)."""
        from tisserand.migrate import make_migrations

        site = load_site(instance_dir())
        written = asyncio.run(make_migrations(site.settings, site.plugins, apps, name=name))
        for path in written:
            typer.echo(f"Created {path}")
        if not written:
            typer.echo("No changes detected.")


def serve_instance(folder: Path, host: str, port: int, workers: int, log_level: str = "info") -> None:
    """Check the instance, then hand over to uvicorn."""
    import uvicorn

    load_site(folder)  # fail fast, in one line, on config or plugin errors
    os.environ["TISSERAND_INSTANCE"] = str(folder.resolve())
    uvicorn.run("tisserand.web.asgi:app", host=host, port=port, workers=workers,
                factory=False, proxy_headers=True, log_level=log_level)
