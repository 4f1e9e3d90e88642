"""Translations: gettext catalogs (``.po``) of the core, the themes and every plugin.

Catalogs are read from ``locale/<lang>/LC_MESSAGES/*.po`` folders with Babel at start-up (no
compile step). The active locale is a context variable set per request from the member's
choice, then ``Accept-Language``, then the site default. Regional variants (``fr_CA``) map to
their language.
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterable
from datetime import date, datetime
from pathlib import Path

from babel import Locale, dates, numbers
from babel.messages.pofile import read_po

LANGUAGES = ("fr", "en")
_locale: contextvars.ContextVar[str] = contextvars.ContextVar("tisserand_locale", default="en")
_catalogs: dict[str, dict[str | tuple[str, str], str | list[str]]] = {lang: {} for lang in LANGUAGES}
_loaded_dirs: set[Path] = set()


def normalize(tag: str | None) -> str | None:
    """``fr-CA`` → ``fr``; unknown languages → None."""
    if not tag:
        return None
    language = tag.replace("-", "_").split("_")[0].strip().lower()
    return language if language in LANGUAGES else None


def negotiate(accept_language: str | None, default: str) -> str:
    """The best of our languages for an ``Accept-Language`` header."""
    if accept_language:
        weighted = []
        for part in accept_language.split(","):
            tag, _, q = part.strip().partition(";q=")
            try:
                weight = float(q) if q else 1.0
            except ValueError:
                weight = 0.0
            weighted.append((weight, tag))
        for _, tag in sorted(weighted, key=lambda item: -item[0]):
            language = normalize(tag)
            if language:
                return language
    return default


def load_catalogs(locale_dirs: Iterable[Path]) -> None:
    """Read every ``.po`` under the given ``locale`` folders (once each).

    All catalogs share one pool; the first translation of a message wins. The core's catalog is
    read first, so a plugin that reuses a core message gets the core's wording.
    """
    for folder in locale_dirs:
        folder = Path(folder)
        if folder in _loaded_dirs or not folder.is_dir():
            continue
        _loaded_dirs.add(folder)
        for language in LANGUAGES:
            for po in sorted((folder / language / "LC_MESSAGES").glob("*.po")):
                with po.open("rb") as handle:
                    catalog = read_po(handle, locale=language)
                target = _catalogs[language]
                for message in catalog:
                    if not message.id or not message.string or message.fuzzy:
                        continue
                    if isinstance(message.string, tuple | list) and not all(message.string):
                        continue  # an untranslated plural is ('', ''): keep the English
                    if isinstance(message.id, tuple | list):
                        target.setdefault((message.id[0], message.id[1]), list(message.string))
                    else:
                        target.setdefault(message.id, str(message.string))


def set_locale(language: str) -> contextvars.Token[str]:
    """Make ``language`` the active locale for the current task."""
    return _locale.set(normalize(language) or "en")


def get_locale() -> str:
    """The active language code."""
    return _locale.get()


def gettext(message: str, **values: object) -> str:
    """Translate ``message`` into the active locale, then fill ``{name}`` placeholders."""
    translated = _catalogs.get(get_locale(), {}).get(message)
    text = translated if isinstance(translated, str) else message
    return text.format(**values) if values else text


def ngettext(singular: str, plural: str, count: int, **values: object) -> str:
    """Plural-aware :func:`gettext`; ``{count}`` is available in the text."""
    language = get_locale()
    forms = _catalogs.get(language, {}).get((singular, plural))
    if isinstance(forms, list) and forms:
        index = Locale.parse(language).plural_form(count)
        form_names = ["one", "other"]
        position = form_names.index(index) if index in form_names else len(forms) - 1
        text = forms[min(position, len(forms) - 1)]
    else:
        text = singular if count == 1 else plural
    return text.format(count=count, **values)


_ = gettext


def format_datetime(value: datetime | None, format: str = "medium", tz: str | None = None) -> str:
    """A date and time in the active locale (and ``tz`` if given)."""
    if value is None:
        return ""
    return dates.format_datetime(value, format=format, tzinfo=dates.get_timezone(tz) if tz else None,
                                 locale=get_locale())


def format_date(value: date | datetime | None, format: str = "medium") -> str:
    """A date in the active locale."""
    if value is None:
        return ""
    return dates.format_date(value, format=format, locale=get_locale())


def format_number(value: float | int) -> str:
    """A number with the active locale's separators."""
    return numbers.format_decimal(value, locale=get_locale())


def format_timedelta_ago(value: datetime | None, now: datetime | None = None) -> str:
    """"3 days ago" / "il y a 3 jours"."""
    if value is None:
        return ""
    now = now or datetime.now(value.tzinfo)
    return dates.format_timedelta(value - now, add_direction=True, locale=get_locale())
