"""Translations: gettext catalogs (``.po``) of the core, the themes and every plugin.

Catalogs are read from ``locale/<lang>/LC_MESSAGES/*.po`` folders with Babel at start-up (no
compile step). The active locale is a context variable set per request from the member's
choice, then ``Accept-Language``, then the site default. Regional variants (``fr_CA``) map to
their language.

Text kept for later (notifications, audit lines, labels, tooltips) is stored as a
:class:`Message` — a message id and its parameters — made with :func:`lazy_gettext` or
:func:`lazy_ngettext`, and rendered in the reader's language when read (:func:`render`).
:func:`N_` only marks a string for extraction. Typography helpers (French "1er", no seconds in
times, elision, decimal commas, narrow no-break spaces) are public here, and filters in every
template: in a French translation, ``{name:de}`` gives "d'Inès" / "de Mathieu" and
``{name:le}`` "l'équipe" / "le groupe"; a float parameter written ``{weight:.1f}`` gives "3,0",
``{share:%}`` gives "50 %". A datetime parameter is written in the reader's language when read,
in its own offset (give it in the recipient's zone), without seconds.
"""

from __future__ import annotations

import contextvars
import functools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from babel import Locale, dates, numbers
from babel.messages.pofile import read_po

__all__ = [
    "LANGUAGES",
    "N_",
    "Message",
    "_",
    "elide",
    "format_date",
    "format_datetime",
    "format_decimal",
    "format_number",
    "format_percent",
    "format_time",
    "format_timedelta_ago",
    "get_locale",
    "gettext",
    "is_stored_message",
    "lazy_concat",
    "lazy_gettext",
    "lazy_ngettext",
    "localize_html",
    "ngettext",
    "normalize",
    "punctuate",
    "recover",
    "register_tooltip",
    "render",
    "render_stored",
    "set_locale",
    "store_text",
    "use_locale",
]

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


# --- text kept for later -------------------------------------------------------------------


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


_STORED_PREFIX = '{"msgid":'


def store_text(value: Message | str, limit: int = 500) -> str:
    """Text for a column that holds one text (``content.status_reason``): a :class:`Message`
    is kept as its JSON data (a reason code and parameters), rendered in the reader's language
    by :func:`render_stored`; a person's own words are kept as they wrote them. A message whose
    data would not fit in ``limit`` characters is kept rendered in the active locale."""
    if isinstance(value, Message):
        import json

        data = json.dumps(_compact(value.to_data()), ensure_ascii=False, separators=(",", ":"), default=str)
        return data if len(data) <= limit and data.startswith(_STORED_PREFIX) else value.render()[:limit]
    return str(value or "")[:limit]


def _compact(data: Any) -> Any:
    """Message data without its empty parameter lists (``from_data`` reads them as empty)."""
    if isinstance(data, dict):
        return {key: _compact(value) for key, value in data.items() if not (key == "params" and value == {})}
    return data


def render_stored(value: str | None) -> str:
    """A text kept by :func:`store_text`, for the reader: a message rendered in the active
    locale, a person's words (or a row older than messages) as they are."""
    if not value:
        return ""
    if value.startswith(_STORED_PREFIX):
        import json

        try:
            data = json.loads(value)
        except ValueError:
            return value
        if isinstance(data, Mapping):
            return Message.from_data(data).render()
    return value


def is_stored_message(value: str | None) -> bool:
    """True when ``value`` (from :func:`store_text`) is a message, False for a person's words."""
    return bool(value) and str(value).startswith(_STORED_PREFIX)


class use_locale:
    """``with use_locale("fr"): ...`` renders in another language (a recipient's), then restores."""

    def __init__(self, language: str | None) -> None:
        self.language = language

    def __enter__(self) -> str:
        self._token = set_locale(self.language or get_locale())
        return get_locale()

    def __exit__(self, *exc: object) -> None:
        _locale.reset(self._token)


def _pattern(text: str) -> re.Pattern[str] | None:
    """A regular expression that matches ``text`` with its placeholders filled."""
    parts, seen, pos = [], set(), 0
    for match in re.finditer(r"{([a-z_][a-z0-9_]*)(?::([a-z.0-9]*))?}", text):
        parts.append(re.escape(text[pos:match.start()]))
        name, spec = match.group(1), match.group(2)
        prefix = "(?:de |d'|le |la |l'|qu'|que )?" if spec in _ARTICLES else ""
        parts.append(f"(?P={name})" if name in seen else f"{prefix}(?P<{name}>.+?)")
        seen.add(name)
        pos = match.end()
    parts.append(re.escape(text[pos:]))
    try:
        return re.compile("".join(parts) + r"\Z", re.DOTALL)
    except re.error:
        return None


def recover(text: str) -> Message | None:
    """The message a text was rendered from, in any of our languages (for rows stored as text
    before messages were kept as data); None when no catalog entry matches it."""
    best: tuple[int, Message] | None = None
    for language in LANGUAGES:
        for key, value in _catalogs[language].items():
            sources = [(key, None)] if isinstance(key, str) else [(key[0], 0), (key[1], 1)]
            translations = [value] if isinstance(value, str) else list(value)
            for candidate in [*(t for t, _i in sources), *translations]:
                literal = len(re.sub(r"{[^}]*}", "", candidate).strip())
                if literal < 8 or (best and best[0] >= literal):
                    continue
                pattern = _pattern(candidate)
                match = pattern.match(text) if pattern else None
                if not match:
                    continue
                params: dict[str, Any] = dict(match.groupdict())
                if isinstance(key, str):
                    best = (literal, Message(key, params))
                else:
                    count = params.pop("count", "1")
                    digits = re.sub(r"\D", "", str(count))
                    best = (literal, Message(key[0], params, key[1], int(digits or 1)))
    return best[1] if best else None


_TOOLTIPS: dict[str, str] = {}


def register_tooltip(css_class: str, message: str) -> None:
    """Stored HTML whose elements carry ``css_class`` gets the tooltip ``message`` (a msgid)
    when shown, in the reader's language (:func:`localize_html`): HTML rendered once at save
    never freezes a tooltip in the language of whoever saved it."""
    _TOOLTIPS[css_class] = message


def localize_html(html: str) -> str:
    """Give the registered elements of stored HTML their tooltip in the active locale (the
    ``localized`` template filter)."""
    from markupsafe import Markup, escape

    if not html or not _TOOLTIPS:
        return Markup(html or "")
    for css_class, message in _TOOLTIPS.items():
        if css_class not in html:
            continue
        title = str(escape(gettext(message)))
        pattern = re.compile(r'<(a|span|abbr)\b([^>]*\bclass="[^"]*\b' + re.escape(css_class) + r'\b[^"]*"[^>]*)>')

        def retitle(match: re.Match[str], title: str = title) -> str:
            attributes = re.sub(r'\s+title="[^"]*"', "", match.group(2))
            return f'<{match.group(1)}{attributes} title="{title}">'

        html = pattern.sub(retitle, html)
    return Markup(html)


# --- typography ------------------------------------------------------------------------------

_ARTICLES = {"de": "d'", "le": "l'", "la": "l'", "que": "qu'", "ce": "cet "}
_VOWEL = re.compile(r"^[aeiouyàâäéèêëîïôöùûüœæh]", re.IGNORECASE)
_ASPIRATED = ("haut", "hasard", "héros", "hibou", "hollande", "honte", "hors", "hugo", "hamac", "hache")


def elide(article: str, word: str) -> str:
    """French elision: ``elide("de", "Inès")`` → "d'Inès", ``elide("le", "équipe")`` →
    "l'équipe", "de Mathieu" otherwise (a mute h elides: "l'histoire"; common aspirated h
    words do not). In English, or for an unknown article, ``word`` alone."""
    if article not in _ARTICLES or get_locale() != "fr":
        return word
    stripped = word.lstrip()
    lowered = stripped.lower()
    if stripped and _VOWEL.match(stripped) and not lowered.startswith(_ASPIRATED):
        return _ARTICLES[article] + stripped
    return f"{article} {stripped}"


_BEFORE_HIGH_PUNCTUATION = re.compile(r"[ \u00a0\u202f]*([;?!])")
_BEFORE_COLON = re.compile(r"[ \u00a0\u202f]*:(?=\s|$)")


def punctuate(text: str) -> str:
    """French spacing: a narrow no-break space before ``; ? !`` and a no-break space before
    ``:`` (in English, spaces before them are removed)."""
    if get_locale() == "fr":
        text = _BEFORE_HIGH_PUNCTUATION.sub("\u202f\\1", text)
        return _BEFORE_COLON.sub("\u00a0:", text)
    text = re.sub(r"[ \u00a0\u202f]+([;?!])", r"\1", text)
    return re.sub(r"[ \u00a0\u202f]+:(?=\s|$)", ":", text)


_ = gettext


def _first_of_month(text: str, value: date) -> str:
    """French writes the first day of a month "1er" ("1er novembre"), in words dates only."""
    if get_locale() == "fr" and value.day == 1:
        return re.sub(r"(?<![\d/.-])1(?=[ \u00a0\u202f][^\d\s])", "1er", text, count=1)
    return text


def format_date(value: date | datetime | None, format: str = "medium") -> str:
    """A date in the active locale ("1er nov. 2026", "Nov 1, 2026")."""
    if value is None:
        return ""
    return _first_of_month(dates.format_date(value, format=format, locale=get_locale()), value)


def format_time(value: datetime | None, tz: str | None = None) -> str:
    """A time of day without seconds ("14:05", "2:05 PM")."""
    if value is None:
        return ""
    return dates.format_time(value, format="short", tzinfo=dates.get_timezone(tz) if tz else None,
                             locale=get_locale())


def format_datetime(value: datetime | None, format: str = "medium", tz: str | None = None) -> str:
    """A date and time in the active locale (and ``tz`` if given), never with seconds:
    "1er nov. 2026, 14:05" / "Nov 1, 2026, 2:05 PM"."""
    if value is None:
        return ""
    if format not in ("short", "medium", "long", "full"):
        return dates.format_datetime(value, format=format, tzinfo=dates.get_timezone(tz) if tz else None,
                                     locale=get_locale())
    moment = value.astimezone(dates.get_timezone(tz)) if tz and value.tzinfo else value
    day = format_date(moment, format)
    pattern = str(Locale.parse(get_locale()).datetime_formats[format]).replace("'", "")
    return pattern.replace("{1}", day).replace("{0}", format_time(moment))


def format_number(value: float | int) -> str:
    """A number with the active locale's separators ("1 234,5")."""
    if type(value) is int and 0 <= value < 1000:  # no separator to place: the common case, cheaply
        return str(value)
    return numbers.format_decimal(value, locale=get_locale())


def format_decimal(value: float | int, places: int = 1) -> str:
    """A number with exactly ``places`` decimals: "3,0" / "3.0"."""
    pattern = "#,##0" + ("." + "0" * places if places > 0 else "")
    return numbers.format_decimal(value, format=pattern, locale=get_locale(), decimal_quantization=True)


def format_percent(value: float | int) -> str:
    """A ratio as a percentage in the active locale: 0.5 → "50 %" (no-break space) / "50%"."""
    return numbers.format_percent(value, locale=get_locale())


def format_timedelta_ago(value: datetime | None, now: datetime | None = None) -> str:
    """"3 days ago" / "il y a 3 jours"."""
    if value is None:
        return ""
    now = now or datetime.now(value.tzinfo)
    return dates.format_timedelta(value - now, add_direction=True, locale=get_locale())
