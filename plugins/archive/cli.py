"""``tisserand export SLUG -o FILE.zip`` and ``tisserand import FILE.zip``, with progress bars
(on stderr, so that the one-line summary on stdout stays easy to read from scripts)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from tisserand.cli.runtime import fail, instance_dir, run_with_site


def _console() -> Any:
    from rich.console import Console

    return Console(stderr=True)


def register(app: typer.Typer) -> None:
    """Add the top-level ``export`` and ``import`` commands."""

    @app.command("export")
    def export_command(
        slug: Annotated[str, typer.Argument(help="The community's address (/c/SLUG).")],
        output: Annotated[Path, typer.Option("-o", "--output", help="The zip file to write.")],
        include_private: Annotated[bool, typer.Option(
            "--include-private", help="Add members' e-mail addresses and locations (left out by default).")] = False,
        force: Annotated[bool, typer.Option("--force", help="Overwrite the file if it exists.")] = False,
    ) -> None:
        """Export a community to an archive bundle: data, every plugin's part, an HTML snapshot."""
        if output.exists() and not force:
            fail(f"{output} already exists (use --force to overwrite it)")
        if not output.parent.resolve().is_dir():
            fail(f"no such folder: {output.parent}")

        async def run(site: Any) -> Any:
            from tisserand.models import Community
            from tisserand.plugins.archive.export import export_community
            from tisserand.plugins.archive.progress import RichProgress

            community = await Community.get_or_none(slug=slug.strip().lower())
            if community is None:
                fail(f"no community with the address '{slug}'")
            with RichProgress(_console()) as progress:
                return await export_community(site, community, output, include_private=include_private,
                                              progress=progress)

        result = run_with_site(run, instance_dir())
        counts = result.manifest["counts"]
        typer.echo(f"Exported '{slug}' to {output}: {counts['content']} content items, "
                   f"{counts['members']} members, {counts['snapshot_pages']} HTML pages, "
                   f"{result.size:,} bytes.")

    @app.command("import")
    def import_command(
        file: Annotated[Path, typer.Argument(help="A bundle made by 'tisserand export'.")],
        slug: Annotated[str | None, typer.Option("--slug", help="A new address for the community.")] = None,
        skip_missing_plugins: Annotated[bool, typer.Option(
            "--skip-missing-plugins", help="Import without the data of plugins this site does not enable.")] = False,
        queue: Annotated[bool, typer.Option(
            "--queue", help="Copy the bundle into the instance folder and leave the import to a worker.")] = False,
    ) -> None:
        """Restore a community from an archive bundle (all or nothing)."""
        if queue:
            if not file.is_file():
                fail(f"no such file: {file}")

            async def enqueue(site: Any) -> Any:
                from tisserand.plugins.archive.imports import queue_import

                return await queue_import(site, file, slug=slug, skip_missing_plugins=skip_missing_plugins)

            row, job = run_with_site(enqueue, instance_dir())
            typer.echo(f"Queued the import of {file.name} (import #{row.id}, job #{job}): a worker imports it; "
                       f"see 'tisserand jobs list' and the audit log for the outcome.")
            return

        async def run(site: Any) -> Any:
            from tisserand.plugins.archive.importer import import_bundle
            from tisserand.plugins.archive.progress import RichProgress

            limits = site.plugin_settings("archive").limits()
            with RichProgress(_console()) as progress:
                return await import_bundle(site, file, slug=slug, progress=progress, limits=limits,
                                           skip_missing_plugins=skip_missing_plugins)

        result = run_with_site(run, instance_dir())
        skipped = f" Skipped the data of: {', '.join(result.skipped_plugins)}." if result.skipped_plugins else ""
        typer.echo(f"Imported '{result.community.slug}': {result.counts['content']} content items, "
                   f"{result.counts['members']} members ({len(result.matched)} matched by username, "
                   f"{len(result.placeholders)} placeholders).{skipped}")
