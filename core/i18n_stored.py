"""Text kept in the database, shown in each reader's language: a column's text stored as a
message (:func:`store_text`, :func:`render_stored`), the message a row stored as plain text was
rendered from (:func:`recover`), and tooltips of stored HTML (:func:`localize_html`)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from tisserand.i18n_catalogs import _catalogs
from tisserand.i18n_format import _ARTICLES
from tisserand.i18n_locale import LANGUAGES
from tisserand.i18n_messages import Message, gettext

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
