"""Running async work from synchronous Typer commands, with a site and clean errors."""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, NoReturn, TypeVar

import typer

from tisserand.errors import TisserandError
from tisserand.plugin_manager import PluginError
from tisserand.settings import SettingsError

__all__ = ["fail", "instance_dir", "run_with_site"]

T = TypeVar("T")


def fail(message: str, code: int = 1) -> NoReturn:
    """Print a one-line error on stderr and exit non-zero."""
    typer.echo(f"Error: {message}", err=True)
    raise typer.Exit(code)


def instance_dir(option: Path | None = None) -> Path:
    """``--instance``, else ``TISSERAND_INSTANCE``, else the current folder."""
    if option is not None:
        return option
    return Path(os.environ.get("TISSERAND_INSTANCE") or ".")


def load_site(instance: Path | None = None) -> Any:
    """Load the instance's site (settings and plugins), turning config errors into one line."""
    from tisserand.site import Site
    from tisserand.web.templates import ThemeError, installed_themes, theme_chain

    try:
        site = Site.load(instance_dir(instance))
        theme_chain(site.settings.site.theme, installed_themes())  # a wrong theme: one line too
        return site
    except (SettingsError, PluginError, ThemeError) as exc:
        fail(str(exc))


def run_with_site(func: Callable[[Any], Awaitable[T]], instance: Path | None = None) -> T:
    """Start the site, run ``await func(site)``, stop it; errors become one line on stderr."""
    site = load_site(instance)

    async def main() -> T:
        await site.start()
        try:
            return await func(site)
        finally:
            await site.stop()

    try:
        return asyncio.run(main())
    except TisserandError as exc:
        details = "; ".join(f"{k}: {v}" for k, v in exc.fields.items())
        fail(f"{exc.message}{' (' + details + ')' if details else ''}")
    except KeyboardInterrupt:
        sys.exit(130)
