"""Schema migrations: apply every app's pending migrations (core first, then plugins)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from tortoise.migrations.api import migrate as tortoise_migrate

from tisserand.db import orm_config

if TYPE_CHECKING:
    from tisserand.plugin_manager import Plugins
    from tisserand.settings import Settings


async def apply_migrations(
    settings: Settings,
    plugins: Plugins,
    *,
    url: str | None = None,
    progress: Callable[[str, str, str], Any] | None = None,
) -> None:
    """Apply pending migrations of the core and every enabled plugin.

    ``progress(event, app_label, migration_name)`` is called as migrations run. Runs in its own
    Tortoise context, so it can be called before or beside a running site.
    """
    from tortoise.context import TortoiseContext

    config = orm_config(settings, plugins, url)
    with TortoiseContext() as ctx:
        try:
            await tortoise_migrate(config=config, progress=progress)
        finally:
            await ctx.close_connections()
    database_url = url or settings.database_url
    if database_url.startswith(("postgres://", "postgresql://")):
        from tisserand.jobs.pg import install_schema

        # procrastinate's own tables (the job queue of PostgreSQL sites), created once.
        if await install_schema(database_url) and progress is not None:
            progress("applied", "procrastinate", "schema")


async def make_migrations(
    settings: Settings, plugins: Plugins, app_labels: list[str], *, name: str | None = None
) -> list[str]:
    """Write new migration files for model changes in ``app_labels``; returns their paths.

    For plugin authors: ``tisserand makemigrations myplugin`` after changing ``models.py``.
    """
    import importlib
    from pathlib import Path

    from tortoise.context import TortoiseContext
    from tortoise.migrations.autodetector import MigrationAutodetector

    config = orm_config(settings, plugins)
    unknown = [label for label in app_labels if label not in config["apps"]]
    if unknown:
        raise ValueError(f"unknown app {', '.join(unknown)} (known: {', '.join(config['apps'])})")
    apps = {label: config["apps"][label] for label in app_labels}
    for app in apps.values():
        module = app["migrations"]
        parent_name, package = module.rsplit(".", 1)
        parent = importlib.import_module(parent_name)
        folder = Path(next(iter(parent.__path__))) / package
        folder.mkdir(exist_ok=True)
        (folder / "__init__.py").touch()
    importlib.invalidate_caches()
    written = []
    async with TortoiseContext() as ctx:
        await ctx.init(config=config)
        assert ctx.apps is not None
        # Every app is given, so that migrations depending on another app (a plugin's on the
        # core's) resolve; only the selected apps get new files.
        detector = MigrationAutodetector(ctx.apps, config["apps"])
        for writer in await detector.changes():
            if writer.app_label not in apps:
                continue
            if name:
                number = writer.name.split("_", 1)[0]
                writer.name = f"{number}_{name}"
            written.append(str(writer.write()))
        await ctx.close_connections()
    return written
