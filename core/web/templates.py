"""Jinja2 templates and themes.

Lookup order: instance ``templates/`` → selected theme → its parent themes → plugin templates →
the ``default`` theme. A theme is a folder with ``theme.toml`` (``name``, ``parent``),
``templates/`` and ``static/``; outside themes register through the ``tisserand.themes``
entry-point group (the entry point names the theme's package).
"""

from __future__ import annotations

import importlib
import tomllib
from dataclasses import dataclass
from importlib.metadata import entry_points
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup, escape
from starlette.templating import Jinja2Templates
from tisserand import i18n

if TYPE_CHECKING:
    from starlette.requests import Request
    from starlette.responses import Response
    from tisserand.site import Site


class ThemeError(Exception):
    """The configured theme is missing or broken."""


@dataclass(frozen=True)
class Theme:
    """An installed theme."""

    name: str
    path: Path
    parent: str | None

    @property
    def templates(self) -> Path:
        """Its templates folder."""
        return self.path / "templates"

    @property
    def static(self) -> Path:
        """Its static folder."""
        return self.path / "static"


def installed_themes() -> dict[str, Theme]:
    """Every theme found through the ``tisserand.themes`` entry points."""
    themes = {}
    for ep in entry_points(group="tisserand.themes"):
        module = importlib.import_module(ep.value)
        path = Path(next(iter(module.__path__)))
        meta: dict[str, Any] = {}
        if (path / "theme.toml").exists():
            meta = tomllib.loads((path / "theme.toml").read_text(encoding="utf-8"))
        parent = meta.get("parent") or None
        themes[ep.name] = Theme(ep.name, path, parent if ep.name != "default" else None)
    return themes


def theme_chain(name: str, themes: dict[str, Theme]) -> list[Theme]:
    """The theme and its ancestors, nearest first (``default`` not included)."""
    chain: list[Theme] = []
    current: str | None = name
    while current and current != "default":
        if current not in themes:
            raise ThemeError(f"theme '{current}' is not installed (installed: {', '.join(sorted(themes))})")
        theme = themes[current]
        if theme in chain:
            raise ThemeError(f"theme '{name}' has a parent loop")
        chain.append(theme)
        current = theme.parent or "default"
    return chain


def plugin_template_dirs(site: Site) -> list[str]:
    """Template folders of every enabled plugin."""
    folders: list[str] = []
    for _name, dirs in site.plugins.per_plugin("tisserand_template_dirs"):
        folders.extend(str(d) for d in dirs)
    return folders


def build_environment(site: Site) -> tuple[Environment, list[Theme]]:
    """The Jinja2 environment for a site, with the theme chain it uses."""
    themes = installed_themes()
    chain = theme_chain(site.settings.site.theme, themes)
    folders = [str(site.settings.path("templates"))]
    folders += [str(t.templates) for t in chain]
    folders += plugin_template_dirs(site)
    folders.append(str(themes["default"].templates))
    env = Environment(
        loader=ChoiceLoader([FileSystemLoader(f) for f in folders]),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
        enable_async=False,
    )
    env.globals.update(
        _=i18n.gettext,
        ngettext=i18n.ngettext,
        site=site,
        site_name=site.settings.site.name,
        get_locale=i18n.get_locale,
    )
    env.filters.update(
        datetime=i18n.format_datetime,
        date=i18n.format_date,
        number=i18n.format_number,
        ago=i18n.format_timedelta_ago,
        nl2br=lambda text: Markup("<br>").join(escape(text).split("\n")),
    )
    return env, [*chain, themes["default"]]


class Templates:
    """Renders pages: ``site_templates.render(request, "forums/topic.html", {...})``."""

    def __init__(self, site: Site) -> None:
        self.site = site
        self.env, self.themes = build_environment(site)
        self._starlette = Jinja2Templates(env=self.env)

    async def context(self, request: Request) -> dict[str, Any]:
        """Variables every page gets: viewer, CSRF token, locale, plugins' extras."""
        from tisserand.plugin_manager import resolve_all
        from tisserand.web.security import csrf_token

        context: dict[str, Any] = {
            "viewer": getattr(request.state, "viewer", None),
            "csrf_token": csrf_token(request),
            "locale": i18n.get_locale(),
        }
        for extra in await resolve_all(self.site.hook.template_context(request=request)):
            context.update(extra)
        return context

    async def render(self, request: Request, name: str, context: dict[str, Any] | None = None,
                     status_code: int = 200, headers: dict[str, str] | None = None) -> Response:
        """A TemplateResponse with the common context merged in."""
        full = await self.context(request)
        full.update(context or {})
        return self._starlette.TemplateResponse(request, name, full, status_code=status_code,
                                                headers=headers)

    def render_string(self, name: str, context: dict[str, Any]) -> str:
        """Render a template outside a request (e-mails, exports)."""
        return self.env.get_template(name).render(**context)
