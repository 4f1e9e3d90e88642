"""The running site: settings, plugins, database, permissions, renderer, mail and limits.

One :class:`Site` per process. ``current_site()`` returns it, for code that has no ``request``.
"""

from __future__ import annotations

import contextvars
import logging
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tisserand import i18n
from tisserand.db import close_orm, open_orm, orm_config
from tisserand.markdown import Renderer
from tisserand.permissions import PermissionRegistry
from tisserand.plugin_manager import Plugins, resolve_all
from tisserand.settings import Settings, load_settings

if TYPE_CHECKING:
    from tortoise.context import TortoiseContext

    from tisserand.mail import Mailer
    from tisserand.ratelimit import RateLimiter

__all__ = ["Site", "current_site"]

log = logging.getLogger("tisserand")
_current: contextvars.ContextVar[Site | None] = contextvars.ContextVar("tisserand_site", default=None)
_global: Site | None = None
CORE_LOCALE_DIR = Path(__file__).parent / "locale"


def current_site() -> Site:
    """The site of this task (or the process's started site)."""
    site = _current.get() or _global
    if site is None:
        raise RuntimeError("no Tisserand site is running: start one with `await site.start()`")
    return site


class Site:
    """Everything a running Tisserand needs, built from an instance folder."""

    def __init__(self, settings: Settings, plugins: Plugins) -> None:
        self.settings = settings
        self.plugins = plugins
        self.permissions = PermissionRegistry()
        for _name, permissions in plugins.per_plugin("tisserand_permissions"):
            self.permissions.register(permissions)
        self.orm: TortoiseContext | None = None
        self.started = False
        self.extra: dict[str, Any] = {}
        i18n.load_catalogs([CORE_LOCALE_DIR, *self._plugin_locale_dirs()])

    @classmethod
    def load(cls, instance_dir: str | Path, *, settings: Settings | None = None,
             extra_plugins: dict[str, object] | None = None) -> Site:
        """Read the instance's settings and load its plugins (no database yet)."""
        settings = settings or load_settings(instance_dir)
        return cls(settings, Plugins(settings, extra=extra_plugins).load())

    def _plugin_locale_dirs(self) -> list[Path]:
        """Every enabled plugin's ``locale/`` folder, found by convention in its package."""
        found = (self.plugins.package_folder(name, "locale") for name in self.plugins.enabled)
        return [folder for folder in found if folder is not None]

    # --- lifecycle ---------------------------------------------------------------------

    async def start(self, *, global_fallback: bool = True) -> Site:
        """Open the database and run the plugins' ``tisserand_startup``."""
        global _global
        if self.started:
            return self
        self.orm = await open_orm(orm_config(self.settings, self.plugins),
                                  global_fallback=global_fallback)
        _current.set(self)
        if global_fallback:
            _global = self
        self.started = True
        await resolve_all(self.hook.tisserand_startup(site=self))
        return self

    async def stop(self) -> None:
        """Close the database and release the shared clients."""
        global _global
        if not self.started:
            return
        if "ratelimiter" in self.__dict__:
            await self.ratelimiter.close()
        if "events" in self.__dict__:
            await self.events.close()
            del self.__dict__["events"]
        if "jobs" in self.__dict__:
            await self.jobs.close()
            del self.__dict__["jobs"]
        if self.orm is not None:
            await close_orm(self.orm)
        if _global is self:
            _global = None
        _current.set(None)
        self.started = False

    def activate(self) -> None:
        """Make this site the current one for the running task (tests with several sites)."""
        _current.set(self)

    # --- services ----------------------------------------------------------------------

    @property
    def hook(self) -> Any:
        """The hook relay of every enabled plugin."""
        return self.plugins.hook

    def plugin_settings(self, name: str) -> Any:
        """A plugin's validated config section."""
        return self.plugins.plugin_settings(name)

    @cached_property
    def markdown(self) -> Renderer:
        """The Markdown renderer, with every plugin's ``markdown_setup`` applied."""
        hooks = [impl.function for impl in self.plugins.pm.hook.markdown_setup.get_hookimpls()]
        return Renderer(hooks)

    @cached_property
    def mailer(self) -> Mailer:
        """Outgoing mail, with the configured backend."""
        from tisserand.mail import Mailer

        return Mailer(self.settings)

    @cached_property
    def ratelimiter(self) -> RateLimiter:
        """Counters for rate limits: Redis when configured, else in this process."""
        from tisserand.ratelimit import RateLimiter

        return RateLimiter(self.settings.redis.url)

    @cached_property
    def events(self) -> Any:
        """The live-event bus of this process (:mod:`tisserand.events`)."""
        from tisserand.events import EventBus

        return EventBus(self, self.settings.events.max_connections)

    @cached_property
    def jobs(self) -> Any:
        """The job queue (:mod:`tisserand.jobs`): in-process or procrastinate."""
        from tisserand.jobs import make_queue

        return make_queue(self)

    def url(self, path: str) -> str:
        """An absolute URL for ``path`` on this site."""
        return self.settings.site.base_url + path
