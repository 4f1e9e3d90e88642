"""Jinja2 templates and themes.

Lookup order: instance ``templates/`` → selected theme → its parent themes → plugin templates →
the ``default`` theme. A theme is a folder with ``theme.toml`` (``name``, ``parent``),
``templates/``, ``static/`` and optionally ``locale/{fr,en}/LC_MESSAGES/*.po`` for its own
strings; outside themes register through the ``tisserand.themes`` entry-point group (the entry
point names the theme's package). See docs/themes.md.
"""

from __future__ import annotations

import importlib
import tomllib
from dataclasses import dataclass
from datetime import date, datetime
from importlib.metadata import entry_points
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel.dates import TIMEDELTA_UNITS
from jinja2 import ChoiceLoader, Environment, FileSystemLoader, pass_context, select_autoescape
from markupsafe import Markup, escape
from starlette.templating import Jinja2Templates

from tisserand import i18n
from tisserand.db import as_datetime
from tisserand.web.labels import template_globals

# The public part (docs/plugin-guide.md): how a plugin renders pages and fragments.
__all__ = ["render_page", "render_template", "template_environment"]

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
    """Template folders of every enabled plugin: its package's ``templates/`` (by convention)
    and those its ``tisserand_template_dirs`` hook gives."""
    folders: list[str] = []
    for _name, dirs in site.plugins.folders("templates"):
        folders.extend(str(d) for d in dirs)
    return folders


def build_environment(site: Site) -> tuple[Environment, list[Theme]]:
    """The Jinja2 environment for a site, with the theme chain it uses."""
    themes = installed_themes()
    chain = theme_chain(site.settings.site.theme, themes)
    i18n.load_catalogs([theme.path / "locale" for theme in chain])  # a theme's own strings
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
        **template_globals(),
    )
    env.globals["plugin_label"] = site.plugins.label  # each plugin names itself (tisserand_label)
    env.globals["lang_attr"] = lang_attr
    env.globals["cached_fragment"] = FragmentCache().template_global()
    env.filters.update(
        datetime=_format_datetime,
        date=_format_date,
        number=_format_number,
        localized=i18n.localize_html,
        decimal=i18n.format_decimal,
        elide=lambda word, article="de": i18n.elide(article, word),
        punctuate=i18n.punctuate,
        stored=i18n.render_stored,
        ago=_format_ago,
        isotime=_isotime,
        nl2br=lambda text: Markup("<br>").join(escape(text).split("\n")),
        unlinked=_unlinked,
    )
    return env, [*chain, themes["default"]]


def lang_attr(lang: Any) -> Markup:
    """`` lang="fr"`` for the container of a content written in another language than the
    page's (``{{ lang_attr(content.lang) }}``), else nothing."""
    from tisserand.language import content_lang

    found = content_lang(str(lang or ""), i18n.get_locale())
    return Markup(' lang="{}"').format(found) if found else Markup("")


def _unlinked(value: Any) -> Any:
    from tisserand.names import unlinked

    return Markup(unlinked(str(value))) if isinstance(value, Markup) else unlinked(str(value or ""))


def _zone(context: Any) -> str | None:
    zone = context.get("timezone") if context is not None else None
    return str(zone) if zone else None


_DATETIMES: dict[tuple[datetime, str, str | None, str], str] = {}
_AGO: dict[tuple[str, bool, str, int], str] = {}
_MEMO_SIZE = 20_000


def _drop_oldest(memo: dict[Any, Any]) -> None:
    """Forget the oldest entry (templates may also render in a worker thread: a race only
    costs an entry)."""
    try:
        del memo[next(iter(memo))]
    except (KeyError, RuntimeError, StopIteration):
        pass


def _remember(memo: dict[Any, str], key: Any, text: str) -> str:
    if len(memo) >= _MEMO_SIZE:
        _drop_oldest(memo)
    memo[key] = text
    return text


@pass_context
def _format_datetime(context: Any, value: Any, format: str = "medium") -> str:
    """Date and time in the active locale and the viewer's time zone (remembered: Babel's
    formatting costs about 50 µs, and feeds show the same moments again and again)."""
    moment = as_datetime(value)
    if moment is None:
        return ""
    key = (moment, format, _zone(context), i18n.get_locale())
    text = _DATETIMES.get(key)
    return text if text is not None else _remember(_DATETIMES, key, i18n.format_datetime(moment, format, key[2]))


@pass_context
def _format_date(context: Any, value: Any, format: str = "medium") -> str:
    """A date in the active locale (datetimes are first moved to the viewer's time zone)."""
    if isinstance(value, date) and not isinstance(value, datetime):
        return i18n.format_date(value, format)
    moment = as_datetime(value)
    if moment is None:
        return ""
    zone = _zone(context)
    if zone:
        try:
            moment = moment.astimezone(ZoneInfo(zone))
        except (ZoneInfoNotFoundError, ValueError):
            pass
    return i18n.format_date(moment, format)


_NUMBERS: dict[tuple[int, str], str] = {}


def _format_number(value: float | int) -> str:
    """A number with the active locale's separators (whole numbers remembered: counts of
    members and replies come back on every page)."""
    if not isinstance(value, int) or isinstance(value, bool):
        return i18n.format_number(value)
    key = (value, i18n.get_locale())
    text = _NUMBERS.get(key)
    return text if text is not None else _remember(_NUMBERS, key, i18n.format_number(value))


def _ago_key(seconds: float) -> tuple[bool, str, int]:
    """What Babel's ``format_timedelta`` (default threshold and granularity) decides a text
    from: the direction, the unit and the rounded number of units."""
    for unit, size in TIMEDELTA_UNITS:
        value = abs(seconds) / size
        if value >= 0.85 or unit == "second":
            if unit == "second" and value > 0:
                value = max(1, value)
            return seconds >= 0, unit, round(value)
    return seconds >= 0, "second", 0  # not reached: "second" ends the loop


def _format_ago(value: Any) -> str:
    """"3 days ago" / "il y a 3 jours" (the text is remembered per direction, unit and count:
    the same for every moment that rounds alike, so it is never stale)."""
    moment = as_datetime(value)
    if moment is None:
        return ""
    now = datetime.now(moment.tzinfo)
    key = (i18n.get_locale(), *_ago_key((moment - now).total_seconds()))
    text = _AGO.get(key)
    return text if text is not None else _remember(_AGO, key, i18n.format_timedelta_ago(moment, now))


class FragmentCache:
    """``cached_fragment(macro, item, *args)`` in a template: the macro's output for ``item``,
    rendered once and reused while nothing it shows changes.

    ``item.fragment_key`` (a tuple) must hold everything the item shows (a list's
    :class:`~tisserand.web.pages.feed.FeedItem` has one); the key adds the macro, its other
    arguments, the language, the viewer's time zone and the "3 days ago" text of the item's
    time, so a fragment is reused only where rendering it again would give the same HTML.
    The macro must not show anything about the viewer. Items without ``fragment_key`` are
    rendered each time. Bounded (oldest entries leave first), per process.
    """

    def __init__(self, size: int = 4000) -> None:
        self.size = size
        self.fragments: dict[tuple[Any, ...], Markup] = {}

    def template_global(self) -> Any:
        """The function templates call (it receives the template's context)."""
        @pass_context
        def cached_fragment(context: Any, macro: Any, item: Any, *args: Any, **kwargs: Any) -> Markup:
            return self.render(context, macro, item, *args, **kwargs)
        return cached_fragment

    def render(self, context: Any, macro: Any, item: Any, *args: Any, **kwargs: Any) -> Markup:
        """The fragment for ``item``, from the cache or rendered now."""
        identity = getattr(item, "fragment_key", None)
        if identity is None:
            return Markup(macro(item, *args, **kwargs))
        moment = getattr(item, "activity_at", None) or getattr(item, "created_at", None)
        key = (getattr(getattr(macro, "_func", None), "__code__", macro.name), identity, args,
               tuple(sorted(kwargs.items())), i18n.get_locale(), _zone(context), _format_ago(moment))
        try:
            found = self.fragments.get(key)
        except TypeError:  # an argument that cannot be a key (a list…): rendered each time
            return Markup(macro(item, *args, **kwargs))
        if found is None:
            found = Markup(macro(item, *args, **kwargs))
            if len(self.fragments) >= self.size:
                _drop_oldest(self.fragments)
            self.fragments[key] = found
        return found


def _isotime(value: Any) -> str:
    """ISO 8601 for ``<time datetime="...">``."""
    moment = as_datetime(value)
    if moment is not None:
        return moment.isoformat()
    return value.isoformat() if isinstance(value, date) else ""


class Templates:
    """Renders pages: ``site_templates.render(request, "forums/topic.html", {...})``."""

    def __init__(self, site: Site) -> None:
        self.site = site
        self.env, self.themes = build_environment(site)
        self._starlette = Jinja2Templates(env=self.env)

    async def context(self, request: Request) -> dict[str, Any]:
        """Variables every page gets: viewer, CSRF token, locale, time zone, the one-shot
        ``flash`` message, the header links of ``site_nav`` and the plugins' extras."""
        from tisserand.nav import NavItem
        from tisserand.plugin_manager import resolve_all
        from tisserand.web.flash import read_flash
        from tisserand.web.security import csrf_token

        viewer = getattr(request.state, "viewer", None)
        flash = read_flash(request)
        nav: list[NavItem] = []
        for items in await resolve_all(self.site.hook.site_nav(request=request, viewer=viewer)):
            nav.extend(item for item in items if isinstance(item, NavItem))
        context: dict[str, Any] = {
            "viewer": viewer,
            "csrf_token": csrf_token(request),
            "locale": i18n.get_locale(),
            "timezone": (getattr(viewer, "timezone", "") or self.site.settings.site.timezone),
            "flash": flash[1] if flash else "",
            "flash_kind": flash[0] if flash else "",
            "site_nav": sorted(nav, key=lambda item: item.order),
            "current_path": request.url.path,
            "theme": self.site.settings.site.theme,
        }
        for extra in await resolve_all(self.site.hook.template_context(request=request)):
            context.update(extra)
        return context

    async def render(self, request: Request, name: str, context: dict[str, Any] | None = None,
                     status_code: int = 200, headers: dict[str, str] | None = None) -> Response:
        """A TemplateResponse with the common context merged in (the flash message, once
        shown, is cleared)."""
        from tisserand.web.flash import FLASH_COOKIE

        full = await self.context(request)
        full.update(context or {})
        response = self._starlette.TemplateResponse(request, name, full, status_code=status_code,
                                                    headers=headers)
        if FLASH_COOKIE in request.cookies:
            response.delete_cookie(FLASH_COOKIE, path="/")
        return response

    def render_string(self, name: str, context: dict[str, Any]) -> str:
        """Render a template outside a request (e-mails, exports)."""
        return self.env.get_template(name).render(**context)


def site_templates(site: Site) -> Templates:
    """The site's :class:`Templates`: the web app's, or made once on first use (jobs, CLI)."""
    templates = site.extra.get("templates")
    if templates is None:
        templates = site.extra["templates"] = Templates(site)
    return templates  # type: ignore[no-any-return]


async def render_page(request: Request, template: str, context: dict[str, Any] | None = None, *,
                      status_code: int = 200, headers: dict[str, str] | None = None) -> Response:
    """A site-wide page (not inside a community: use ``render_community`` there) rendered with
    the site's templates and theme, with what every page gets (viewer, CSRF token, locale, time
    zone, the one-shot flash message, the header links). ``template`` extends ``base.html``."""
    from tisserand.site import current_site

    templates = getattr(request.app.state, "templates", None) or site_templates(current_site())
    return await templates.render(request, template, context, status_code=status_code, headers=headers)


def render_template(template: str, context: dict[str, Any], *, site: Site | None = None) -> str:
    """A template rendered to a string outside a page (a panel, a fragment, an e-mail): the
    same lookup (instance, theme, plugins) and filters as pages, but only ``context`` and the
    template globals (``_``, ``ngettext``, ``site``…); the active locale is used."""
    return template_environment(site).get_template(template).render(**context)


def template_environment(site: Site | None = None) -> Environment:
    """The site's Jinja2 environment (``site`` defaults to the current one), for plugins that
    render many fragments or e-mails with the site's theme."""
    from tisserand.site import current_site

    return site_templates(site or current_site()).env
