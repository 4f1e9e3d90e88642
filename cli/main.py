"""The ``tisserand`` command line (Typer). Plugins add sub-commands through ``tisserand_cli``."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import typer

from tisserand.cli import admin_commands, instance_commands, jobs_commands, plugin_commands, privacy_commands

app = typer.Typer(
    name="tisserand",
    help="Tisserand: communities of practice with forums, wikis, meet-ups, moderation, digests and archives.",
    no_args_is_help=True,
    rich_markup_mode="rich",
)
instance_commands.register(app)
admin_commands.register(app)
plugin_commands.register(app)
jobs_commands.register(app)
privacy_commands.register(app)


def _add_plugin_commands() -> None:
    """Let enabled plugins add their sub-commands (quietly skipped when no instance is found)."""
    from tisserand.plugin_manager import PluginError, Plugins
    from tisserand.settings import SettingsError, load_settings

    instance = os.environ.get("TISSERAND_INSTANCE")
    argv = sys.argv[1:]
    if "--instance" in argv and argv.index("--instance") + 1 < len(argv):
        instance = argv[argv.index("--instance") + 1]
    folder = Path(instance or ".")
    if not (folder / "tisserand.toml").exists():
        return
    try:
        plugins = Plugins(load_settings(folder)).load()
    except (SettingsError, PluginError):
        return  # the command itself will report the problem in one line
    plugins.hook.tisserand_cli(app=app)


def main() -> None:
    """Entry point of the console script."""
    _add_plugin_commands()
    app()


if __name__ == "__main__":
    main()
