"""Members' rights for operators: ``tisserand privacy register [--json] [--lang fr|en]``."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from tisserand.cli.runtime import fail, instance_dir, load_site

privacy_app = typer.Typer(help="Privacy: the register of processing.", no_args_is_help=True)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


@privacy_app.command("register")
def register_command(
    as_json: Annotated[bool, typer.Option("--json", help="JSON on stdout.")] = False,
    lang: Annotated[str, typer.Option("--lang", help="fr or en (default: the site's language).")] = "",
) -> None:
    """The register of processing (what the site stores, why, for how long, who sees it, legal
    basis), from the core and every enabled plugin, as Markdown tables or JSON."""
    from tisserand.data_register import build_register

    if lang and lang not in ("fr", "en"):
        fail(f"unknown language '{lang}': use fr or en")
    site = load_site(instance_dir())
    register = build_register(site, lang or None)
    if as_json:
        typer.echo(json.dumps(register.as_dict(), indent=2, ensure_ascii=False))
        return
    columns = register.columns
    keys = ("data", "purpose", "retention", "audience", "legal_basis_label")
    lines = [f"# {register.title}", ""]
    for section in register.sections:
        lines += [f"## {section.label}", "",
                  "| " + " | ".join(_cell(columns[k.removesuffix("_label")]) for k in keys) + " |",
                  "|" + "---|" * len(keys)]
        lines += ["| " + " | ".join(_cell(row[k]) for k in keys) + " |" for row in section.rows]
        lines.append("")
    typer.echo("\n".join(lines))


def register(app: typer.Typer) -> None:
    """Add ``privacy`` to the main app."""
    app.add_typer(privacy_app, name="privacy")
