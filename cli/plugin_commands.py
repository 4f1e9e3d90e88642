"""``tisserand plugin new NAME``: write a ready plugin package outside the core."""

from __future__ import annotations

import keyword
import re
from pathlib import Path
from typing import Annotated

import typer

from tisserand.cli.runtime import fail

plugin_app = typer.Typer(help="Write your own plugin.", no_args_is_help=True)
NAME_RE = re.compile(r"^[a-z][a-z0-9_]{1,30}$")


def write_scaffold(name: str, folder: Path) -> list[Path]:
    """Write the plugin package ``tisserand-<name>`` into ``folder``; returns the files."""
    from tisserand.cli.scaffold import FILES

    values = {"name": name, "title": name.replace("_", " ").capitalize(), "package": f"tisserand_{name}"}
    written = []
    for relative, template in FILES.items():
        path = folder / relative.format(**values)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(template.format(**values) if template else "", encoding="utf-8")
        written.append(path)
    return written


@plugin_app.command("new")
def new(
    name: Annotated[str, typer.Argument(help="The plugin's name: lower-case letters, digits, '_'.")],
    directory: Annotated[Path | None, typer.Option("--dir", help="Where to write it (default: ./tisserand-NAME).")] = None,
) -> None:
    """Write a ready plugin package: a page, a permission, a content_saved reaction, a model
    with its migration, a template, a static file, French and English catalogs and a test."""
    if not NAME_RE.match(name) or keyword.iskeyword(name):
        fail(f"'{name}' is not a valid plugin name: use 2 to 31 lower-case letters, digits or '_', starting with a letter")
    folder = directory or Path(f"tisserand-{name}")
    if folder.exists() and any(folder.iterdir()):
        fail(f"{folder} exists and is not empty")
    files = write_scaffold(name, folder)
    typer.echo(f"Wrote {len(files)} files in {folder}. Next:")
    typer.echo(f"  pip install -e {folder}")
    typer.echo(f'  add "{name}" to [plugins] enabled in tisserand.toml, then: tisserand migrate')
    typer.echo(f"  pytest {folder}/tests")


def register(app: typer.Typer) -> None:
    """Add ``tisserand plugin …``."""
    app.add_typer(plugin_app, name="plugin")
