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
from pathlib import Path
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

__all__ = ["await_me_maybe", "call_safely", "plugins_switched_on", "resolve_all"]

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


async def call_safely(caller: Any, **kwargs: Any) -> list[Any]:
    """Call every implementation of a hook one by one (as pluggy would, last registered first)
    and await what each returns; an implementation that raises — at once or in its awaitable —
    is logged with its plugin's name and skipped, and the others still run. For hooks whose
    documentation says failures are "logged, not raised": after-commit notices
    (``content_saved``, ``member_joined``…) and advisory ones (``moderation_score``).
    ``caller`` is ``plugins.hook.<name>`` or a community relay's ``<name>``. Returns the
    non-None answers."""
    answers: list[Any] = []
    for impl in reversed(caller.get_hookimpls()):
        wanted = {name: kwargs[name] for name in impl.argnames if name in kwargs}
        try:
            if impl.hookwrapper or impl.wrapper:
                continue
            answer = await await_me_maybe(impl.function(**wanted))
        except Exception:  # one plugin's failure must not undo, or fail, the others' work
            log.exception("hook %s of plugin '%s' failed (ignored)", caller.name, impl.plugin_name)
            continue
        if answer is not None:
            answers.append(answer)
    return answers


def _deep_merge(base: dict[str, Any], given: Mapping[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in given.items():
        if isinstance(value, Mapping) and isinstance(merged.get(key), dict):
            merged[key] = _deep_merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def with_defaults(model: type[BaseModel], raw: Mapping[str, Any]) -> dict[str, Any]:
    """``raw`` (a settings section) over ``model``'s defaults, sub-tables included: a partial
    ``[plugins.moderation.new]`` keeps the defaults of the keys it does not give, as the
    documentation promises for every key. Unknown keys stay, so validation names them."""
    merged = dict(raw)
    for name, field in model.model_fields.items():
        key = field.alias or name
        given = raw.get(key)
        if not isinstance(given, Mapping) or field.is_required():
            continue
        default = field.get_default(call_default_factory=True)
        if isinstance(default, BaseModel):
            merged[key] = _deep_merge(default.model_dump(by_alias=True), given)
    return merged


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
        self._owners: list[tuple[str, str]] | None = None
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
            raw = with_defaults(model, self.settings.plugins.section(name))
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

    def package_folder(self, name: str, folder: str) -> Path | None:
        """The folder ``folder`` (``templates``, ``static``, ``locale``) of plugin ``name``'s
        package, found by convention beside the module its entry point names, if it exists."""
        file = getattr(self.modules.get(name), "__file__", None)
        if not file:
            return None
        path = Path(file).parent / folder
        return path if path.is_dir() else None

    def folders(self, kind: str) -> list[tuple[str, list[Path]]]:
        """``(plugin name, folders)`` of ``kind`` (``templates`` or ``static``) for every
        enabled plugin: its package's ``templates/`` or ``static/`` folder, by convention, then
        any that its ``tisserand_template_dirs`` / ``tisserand_static_dirs`` hook adds."""
        hook = {"templates": "tisserand_template_dirs", "static": "tisserand_static_dirs"}[kind]
        given: dict[str, list[Path]] = {}
        for name, dirs in self.per_plugin(hook):
            given.setdefault(name, []).extend(Path(d) for d in dirs)
        found = []
        for name in [*self.enabled, *(n for n in given if n not in self.enabled)]:
            conventional = self.package_folder(name, kind)
            dirs = [conventional] if conventional is not None else []
            dirs += [d for d in given.get(name, []) if d not in dirs]
            if dirs:
                found.append((name, dirs))
        return found

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
        """Plugins enabled on the site and switched on in ``community``.

        ``community.plugins`` holds switches over the site's default, ``{"wiki": false}``: a
        plugin the community never switched (one the site enables later, say) is on. ``None``
        means no switch at all; a plain list (older data, bundles) names the plugins on."""
        return plugins_switched_on(self.enabled, community.plugins)

    def switches_for(self, chosen: Iterable[str]) -> dict[str, bool]:
        """The switches to store for a community that wants exactly ``chosen`` among the
        plugins the site enables now (the others it stays free to get later)."""
        wanted = set(chosen)
        return {name: name in wanted for name in self.enabled}

    # --- who owns which content kind ---------------------------------------------------

    def _kind_owners(self) -> list[tuple[str, str]]:
        owners = self._owners
        if owners is None:
            owners = []
            for name, kinds in self.per_plugin("content_kinds"):
                owners += [(str(kind), name) for kind in kinds]
            for name, kinds in self._disabled_kinds():
                owners += [(str(kind), name) for kind in kinds]
            self._owners = owners
        return owners

    def _disabled_kinds(self) -> list[tuple[str, list[str]]]:
        # Installed plugins switched off site-wide are asked too (never registered in this
        # site's manager): their content must disappear with them.
        found = []
        for name, entry in installed_plugins().items():
            if name in self.modules:
                continue
            probe = pluggy.PluginManager("tisserand")
            probe.add_hookspecs(hookspecs)
            try:
                probe.register(entry.load(), name=name)
                answers = probe.hook.content_kinds()
            except Exception as exc:  # a broken, switched-off plugin must not stop anything
                log.warning("could not ask switched-off plugin '%s' for its content kinds: %s", name, exc)
                continue
            for kinds in answers:
                found.append((name, list(kinds or [])))
        return found

    def kind_owner(self, kind: str) -> str | None:
        """The plugin owning content ``kind`` (see the ``content_kinds`` hook), or None."""
        for pattern, name in self._kind_owners():
            if pattern == kind or (pattern.endswith(".*") and kind.startswith(pattern[:-1])):
                return name
        return None

    def kind_active(self, kind: str, community: Community | None = None) -> bool:
        """May content of ``kind`` be shown at all: its plugin is enabled on the site and, with
        ``community``, switched on there. Kinds no plugin claims are always active."""
        owner = self.kind_owner(kind)
        if owner is None:
            return True
        if owner not in self.enabled:
            return False
        return community is None or owner in self.community_plugins(community)

    def kinds_sql(self, names: Iterable[str], column: str = "c.kind") -> tuple[str, list[object]]:
        """A SQL condition (``?`` markers) true for content owned by one of the plugins
        ``names``; ``"1=0"`` when they own nothing."""
        wanted = set(names)
        owned = [p for p, name in self._kind_owners() if name in wanted]
        exact = [p for p in owned if not p.endswith(".*")]
        prefixes = [p[:-1] for p in owned if p.endswith(".*")]
        parts: list[str] = []
        params: list[object] = []
        if exact:
            parts.append(f"{column} IN ({','.join('?' * len(exact))})")
            params += exact
        for prefix in prefixes:
            parts.append(f"SUBSTR({column}, 1, {len(prefix)}) = ?")
            params.append(prefix)
        return ("(" + " OR ".join(parts) + ")" if parts else "1=0"), params

    def inactive_kinds_sql(self, column: str = "c.kind") -> tuple[str, list[object]]:
        """A SQL condition (``?`` markers) leaving out content of plugins switched off
        site-wide, for queries that list content; communities' own switches are checked on the
        rows with :meth:`kind_active`."""
        exact = [p for p, name in self._kind_owners() if name not in self.enabled and not p.endswith(".*")]
        prefixes = [p[:-1] for p, name in self._kind_owners() if name not in self.enabled and p.endswith(".*")]
        parts: list[str] = []
        params: list[object] = []
        if exact:
            parts.append(f"{column} NOT IN ({','.join('?' * len(exact))})")
            params += exact
        for prefix in prefixes:
            parts.append(f"SUBSTR({column}, 1, {len(prefix)}) <> ?")
            params.append(prefix)
        return (" AND ".join(parts) or "1=1"), params

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


def plugins_switched_on(enabled: Sequence[str], switches: Any) -> list[str]:
    """Which of the site's ``enabled`` plugins a community's stored ``switches`` leave on
    (see :meth:`Plugins.community_plugins`)."""
    if switches is None:
        return list(enabled)
    if isinstance(switches, dict):
        return [name for name in enabled if switches.get(name, True) is not False]
    return [name for name in enabled if name in switches]


class _SubsetRelay:
    """Attribute access returns ``pm.subset_hook_caller(name, remove_plugins)``."""

    def __init__(self, pm: pluggy.PluginManager, remove: list[object]) -> None:
        self._pm = pm
        self._remove = remove

    def __getattr__(self, name: str) -> Any:
        if not self._remove:
            return getattr(self._pm.hook, name)
        return self._pm.subset_hook_caller(name, remove_plugins=self._remove)
