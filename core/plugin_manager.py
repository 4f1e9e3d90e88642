"""The plugin manager: discovery through entry points, enabling from config, per-community switches.

Built-in plugins and outside ones are found the same way, through the ``tisserand.plugins``
entry-point group; ``[plugins] enabled`` in ``tisserand.toml`` decides which ones run. A plugin
that is enabled but not installed, fails to import, requires another Tisserand version or
implements a hook that does not exist stops start-up with a :class:`PluginError`.
"""

from __future__ import annotations

import inspect
import logging
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from importlib.metadata import EntryPoint, entry_points
from types import ModuleType
from typing import TYPE_CHECKING, Any

import pluggy
from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.version import Version
from pydantic import BaseModel, ValidationError

from tisserand import __version__, hookspecs

if TYPE_CHECKING:
    from tisserand.models import Community
    from tisserand.settings import Settings

log = logging.getLogger("tisserand.plugin_manager")
ENTRY_POINT_GROUP = "tisserand.plugins"


class PluginError(Exception):
    """A plugin cannot be loaded; the message says which and why, in one line."""


@dataclass(frozen=True)
class PluginInfo:
    """What ``tisserand plugins list`` shows about one installed plugin."""

    name: str
    version: str
    enabled: bool
    hooks: tuple[str, ...]
    module: str


def installed_plugins() -> dict[str, EntryPoint]:
    """Every plugin installed in this environment, by name."""
    return {ep.name: ep for ep in entry_points(group=ENTRY_POINT_GROUP)}


async def await_me_maybe(value: Any) -> Any:
    """Await ``value`` if it is awaitable (a hook may return a coroutine), else return it."""
    if inspect.isawaitable(value):
        return await value
    return value


async def resolve_all(results: Iterable[Any]) -> list[Any]:
    """Await every awaitable in a list of hook results, keeping order; drop ``None``."""
    resolved = [await await_me_maybe(result) for result in results]
    return [value for value in resolved if value is not None]


def check_version(name: str, module: ModuleType) -> None:
    """Refuse a plugin whose ``TISSERAND_REQUIRES`` does not admit this Tisserand version."""
    requirement = getattr(module, "TISSERAND_REQUIRES", None)
    if not requirement:
        return
    try:
        spec = SpecifierSet(requirement)
    except InvalidSpecifier:
        raise PluginError(f"plugin '{name}': TISSERAND_REQUIRES {requirement!r} is not a version range") from None
    if Version(__version__) not in spec:
        raise PluginError(
            f"plugin '{name}' requires Tisserand {requirement}, but this is Tisserand {__version__}"
        )


class Plugins:
    """The loaded plugins of one site: a pluggy manager plus what the site needs to know."""

    def __init__(self, settings: Settings, extra: dict[str, object] | None = None) -> None:
        self.settings = settings
        self.pm = pluggy.PluginManager("tisserand")
        self.pm.add_hookspecs(hookspecs)
        self.enabled: list[str] = []
        self.modules: dict[str, ModuleType | object] = {}
        self._extra = extra or {}
        self._settings: dict[str, BaseModel] = {}
        if os.environ.get("TISSERAND_TRACE_PLUGINS"):
            self.pm.add_hookcall_monitoring(self._trace_before, self._trace_after)

    # --- loading -----------------------------------------------------------------------

    def load(self) -> Plugins:
        """Import and register every enabled plugin; check hooks, versions and settings."""
        installed = installed_plugins()
        wanted = list(self.settings.plugins.enabled)
        wanted += [name for name in self._extra if name not in wanted]  # given in code: always on
        for name in wanted:
            if name in self.modules:
                continue
            plugin = self._extra.get(name)
            if plugin is None:
                if name not in installed:
                    known = ", ".join(sorted(installed)) or "none"
                    raise PluginError(
                        f"plugin '{name}' is enabled in tisserand.toml but not installed "
                        f"(installed: {known})"
                    )
                try:
                    plugin = installed[name].load()
                except Exception as exc:  # any import error must stop start-up clearly
                    raise PluginError(f"plugin '{name}' failed to import: {exc}") from exc
            if isinstance(plugin, ModuleType):
                check_version(name, plugin)
            try:
                self.pm.register(plugin, name=name)
            except pluggy.PluginValidationError as exc:
                raise PluginError(f"plugin '{name}': {exc}") from None
            self.modules[name] = plugin
            self.enabled.append(name)
        self.pm.hook.tisserand_addhooks(pm=self.pm)
        try:
            self.pm.check_pending()  # unknown hooks fail here, unless marked optionalhook=True
        except pluggy.PluginValidationError as exc:
            raise PluginError(f"plugin '{getattr(exc.plugin, '__name__', exc.plugin)}': {exc}") from None
        self._load_settings()
        return self

    def _load_settings(self) -> None:
        source = self.settings.instance_dir / "tisserand.toml"
        for name, model in self.per_plugin("tisserand_settings"):
            raw = self.settings.plugins.section(name)
            try:
                self._settings[name] = model.model_validate(raw)
            except ValidationError as exc:
                error = exc.errors()[0]
                key = ".".join(str(p) for p in error["loc"])
                message = "unknown key" if error["type"] == "extra_forbidden" else error["msg"]
                raise PluginError(f"{source}: [plugins.{name}] {key}: {message}") from None

    # --- using -------------------------------------------------------------------------

    @property
    def hook(self) -> Any:
        """The pluggy hook relay: ``plugins.hook.content_saved(content=..., created=True)``."""
        return self.pm.hook

    def plugin_settings(self, name: str) -> Any:
        """The validated ``[plugins.<name>]`` section of a plugin that declared one."""
        return self._settings[name]

    def per_plugin(self, hook_name: str, **kwargs: Any) -> list[tuple[str, Any]]:
        """Call one hook plugin by plugin, returning ``(plugin name, result)`` pairs."""
        caller = getattr(self.pm.hook, hook_name)
        pairs = []
        for impl in reversed(caller.get_hookimpls()):
            wanted = {k: v for k, v in kwargs.items() if k in impl.argnames}
            result = impl.function(**wanted)
            if result is not None:
                pairs.append((impl.plugin_name, result))
        return pairs

    def community_plugins(self, community: Community) -> list[str]:
        """Plugins enabled on the site and switched on in ``community``."""
        chosen = community.plugins
        if chosen is None:
            return list(self.enabled)
        return [name for name in self.enabled if name in chosen]

    def for_community(self, community: Community) -> Any:
        """A hook relay that only calls the plugins switched on in ``community``.

        ``plugins.for_community(c).community_nav(community=c, viewer=v)``.
        """
        switched_on = set(self.community_plugins(community))
        off = [self.modules[n] for n in self.enabled if n not in switched_on]
        return _SubsetRelay(self.pm, off)

    def label(self, name: str) -> str:
        """A plugin's name for people in the active locale, from its ``tisserand_label`` hook
        (the entry-point name, capitalized, when it gives none or is not enabled)."""
        if name in self.modules:
            for impl in self.pm.hook.tisserand_label.get_hookimpls():
                if impl.plugin_name == name:
                    value = impl.function()
                    if value:
                        return str(value)
        return name.replace("_", " ").replace("-", " ").capitalize()

    def info(self) -> list[PluginInfo]:
        """Every installed plugin with its version, state and implemented hooks."""
        rows = []
        for name, ep in sorted(installed_plugins().items()):
            version = ep.dist.version if ep.dist else "?"
            plugin = self.modules.get(name)
            hooks: tuple[str, ...] = ()
            if plugin is not None:
                hooks = tuple(sorted(c.name for c in self.pm.get_hookcallers(plugin) or []))
            rows.append(PluginInfo(name, version, name in self.enabled, hooks, ep.value))
        return rows

    @staticmethod
    def _trace_before(hook_name: str, hook_impls: Sequence[Any], kwargs: Mapping[str, Any]) -> None:
        log.warning("hook %s → %s", hook_name, [i.plugin_name for i in hook_impls])

    @staticmethod
    def _trace_after(outcome: Any, hook_name: str, hook_impls: Sequence[Any], kwargs: Mapping[str, Any]) -> None:
        log.warning("hook %s done", hook_name)


class _SubsetRelay:
    """Attribute access returns ``pm.subset_hook_caller(name, remove_plugins)``."""

    def __init__(self, pm: pluggy.PluginManager, remove: list[object]) -> None:
        self._pm = pm
        self._remove = remove

    def __getattr__(self, name: str) -> Any:
        if not self._remove:
            return getattr(self._pm.hook, name)
        return self._pm.subset_hook_caller(name, remove_plugins=self._remove)
