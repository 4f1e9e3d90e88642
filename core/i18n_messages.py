"""Translating: :func:`gettext` and :func:`ngettext` look a message up in the active locale's
catalog and fill its ``{name}`` placeholders (``{name:de}``, ``{weight:.1f}``, dates); a
:class:`Message` keeps a translatable text as data (``lazy_gettext``) to render it later, in
the reader's language."""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from babel import Locale

from tisserand.i18n_catalogs import _catalogs
from tisserand.i18n_format import (
    _ARTICLES,
    elide,
    format_date,
    format_datetime,
    format_decimal,
    format_number,
    format_percent,
)
from tisserand.i18n_locale import get_locale


def gettext(message: str, **values: object) -> str:
    """Translate ``message`` into the active locale, then fill ``{name}`` placeholders
    (a :class:`Message` value is rendered first; see :func:`_fill` for ``{name:de}``)."""
    translated = _catalogs.get(get_locale(), {}).get(message)
    text = translated if isinstance(translated, str) else message
    return _fill(text, values) if values else text


@functools.lru_cache(maxsize=32)
def _plural_rule(language: str) -> Any:
    """The plural rule of ``language`` (parsing the locale costs more than a page's other
    translations together)."""
    return Locale.parse(language).plural_form


def ngettext(singular: str, plural: str, count: int, **values: object) -> str:
    """Plural-aware :func:`gettext`; ``{count}`` is available in the text."""
    language = get_locale()
    forms = _catalogs.get(language, {}).get((singular, plural))
    if isinstance(forms, list) and forms:
        index = _plural_rule(language)(count)
        form_names = ["one", "other"]
        position = form_names.index(index) if index in form_names else len(forms) - 1
        text = forms[min(position, len(forms) - 1)]
    else:
        text = singular if count == 1 else plural
    return _fill(text, {"count": format_number(count) if isinstance(count, int) else count, **values})


class _Word(str):
    """A text parameter: ``{name:de}``, ``{name:le}``, ``{name:la}``, ``{name:que}`` elide;
    ``{name:lower}`` writes it in lower case."""

    __slots__ = ()

    def __format__(self, spec: str) -> str:
        if spec in _ARTICLES:
            return elide(spec, str(self))
        if spec == "lower":
            return str(self).lower()
        return str.__format__(str(self), spec)


class _Number(float):
    """A float parameter, written with the active locale's decimal sign (``{x:.1f}`` → 3,0;
    ``{x:%}`` → "50 %" / "50%")."""

    __slots__ = ()

    def __format__(self, spec: str) -> str:
        if spec == "%":
            return format_percent(float(self))
        match = re.fullmatch(r"\.(\d+)f", spec)
        if match:
            return format_decimal(float(self), int(match.group(1)))
        return format_number(float(self)) if not spec else float.__format__(float(self), spec)


def _fill(text: str, values: Mapping[str, object]) -> str:
    prepared: dict[str, object] = {}
    for key, value in values.items():
        if isinstance(value, datetime):  # dates and moments in the reader's language
            value = format_datetime(value)
        elif isinstance(value, date):
            value = format_date(value, "long")
        if isinstance(value, Message):
            value = value.render()
        if isinstance(value, str):
            prepared[key] = _Word(value)
        elif isinstance(value, float):
            prepared[key] = _Number(value)
        else:
            prepared[key] = value
    try:
        return text.format(**prepared)
    except (KeyError, IndexError, ValueError):
        return text  # a broken translation shows unfilled rather than failing the page


def N_(message: str) -> str:
    """Mark ``message`` for extraction without translating it now (it is translated later)."""
    return message


@dataclass(frozen=True)
class Message:
    """A translatable text kept as data: rendered in the active locale by ``str()`` or
    :meth:`render`; :meth:`to_data` / :meth:`from_data` store it as JSON."""

    msgid: str
    params: Mapping[str, Any] = field(default_factory=dict)
    plural: str | None = None
    count: int | None = None

    def render(self) -> str:
        """The text in the active locale."""
        if self.plural is not None:
            return ngettext(self.msgid, self.plural, int(self.count or 0), **self.params)
        return gettext(self.msgid, **self.params)

    def __str__(self) -> str:
        return self.render()

    def to_data(self) -> dict[str, Any]:
        """A JSON-ready dict (parameters that are messages are stored as messages)."""
        params = {key: _param_to_data(value) for key, value in self.params.items()}
        data: dict[str, Any] = {"msgid": self.msgid, "params": params}
        if self.plural is not None:
            data.update(plural=self.plural, count=self.count)
        return data

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> Message:
        """The message :meth:`to_data` stored."""
        params = {}
        for key, value in dict(data.get("params") or {}).items():
            if isinstance(value, Mapping) and "$message" in value:
                value = cls.from_data(value["$message"])
            elif isinstance(value, Mapping) and "$datetime" in value:
                value = datetime.fromisoformat(str(value["$datetime"]))
            elif isinstance(value, Mapping) and "$date" in value:
                value = date.fromisoformat(str(value["$date"]))
            params[key] = value
        return cls(str(data.get("msgid", "")), params, data.get("plural"), data.get("count"))


def _param_to_data(value: Any) -> Any:
    if isinstance(value, Message):
        return {"$message": value.to_data()}
    if isinstance(value, datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, date):
        return {"$date": value.isoformat()}
    return value


def lazy_concat(*parts: Message | str, separator: str = " ") -> Message:
    """Several texts shown one after the other (each rendered in the reader's language)."""
    kept = [part for part in parts if part]
    names = [f"p{index}" for index in range(len(kept))]
    return Message(separator.join("{" + name + "}" for name in names), dict(zip(names, kept, strict=True)))


def lazy_gettext(message: str, **values: object) -> Message:
    """Like :func:`gettext`, but kept as data and translated when rendered."""
    return Message(message, dict(values))


def lazy_ngettext(singular: str, plural: str, count: int, **values: object) -> Message:
    """Like :func:`ngettext`, but kept as data and translated when rendered."""
    return Message(singular, dict(values), plural, count)


def render(value: Message | Mapping[str, Any] | str | None) -> str:
    """Text for the reader: a :class:`Message`, its stored dict, or a plain string as is."""
    if value is None:
        return ""
    if isinstance(value, Message):
        return value.render()
    if isinstance(value, Mapping):
        return Message.from_data(value).render() if "msgid" in value else ""
    return str(value)
