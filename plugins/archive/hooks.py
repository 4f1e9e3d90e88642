"""Calling the bundle hooks plugin by plugin (to know who wrote what), and plugin versions."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from tisserand import __version__

if TYPE_CHECKING:
    from tisserand.models import Community
    from tisserand.site import Site


def implementations(site: Site, hook_name: str, community: Community | None = None) -> Iterator[tuple[str, Any]]:
    """``(plugin name, hook implementation)`` in registration order, for the plugins switched on
    in ``community`` (plugins registered in code, outside the site's list, are always called)."""
    switched_on = set(site.plugins.community_plugins(community)) if community is not None else None
    caller = getattr(site.plugins.pm.hook, hook_name)
    for impl in reversed(caller.get_hookimpls()):
        name = impl.plugin_name
        if switched_on is None or name in switched_on or name not in site.plugins.enabled:
            yield name, impl


def call(impl: Any, **kwargs: Any) -> Any:
    """Call one implementation with the arguments it accepts."""
    return impl.function(**{k: v for k, v in kwargs.items() if k in impl.argnames})


def plugin_versions(site: Site) -> dict[str, str]:
    """Every enabled plugin's version: its ``__version__``, else its distribution's version."""
    installed = {info.name: info.version for info in site.plugins.info()}
    versions = {}
    for name, module in site.plugins.modules.items():
        version = getattr(module, "__version__", None) or installed.get(name) or __version__
        versions[name] = str(version)
    return versions
