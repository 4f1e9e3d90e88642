"""Clean text at the door: what people type may not carry control characters.

Titles, names, summaries and bodies go into HTML, Atom feeds (XML 1.0 refuses control
characters), e-mails and both databases (PostgreSQL refuses NUL). Every way in — JSON bodies
(:func:`tisserand.web.api.read_json`), HTML forms (:func:`tisserand.web.forms.read_form`) and
the content pipeline — passes text through :func:`clean_text`, so no field needs its own check.
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ["clean_data", "clean_text", "xml_text"]

# C0 controls except tab, line feed and carriage return; DEL; the two non-characters XML refuses.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
_SURROGATE = re.compile("[\ud800-\udfff]")
MAX_DEPTH = 32


class BadText(ValueError):
    """Text that cannot be cleaned (a lone UTF-16 surrogate), or data nested too deeply."""


def clean_text(value: str) -> str:
    """``value`` without control characters (tab and line breaks are kept); a lone surrogate,
    which no database or page can hold, raises :class:`BadText`."""
    if _SURROGATE.search(value):
        raise BadText("lone surrogate")
    return _CONTROL.sub("", value)


def clean_data(data: Any, *, max_depth: int = MAX_DEPTH) -> Any:
    """Every string in parsed JSON (keys included) through :func:`clean_text`; raises
    :class:`BadText` for data nested more than ``max_depth`` levels."""

    def walk(value: Any, depth: int) -> Any:
        if depth > max_depth:
            raise BadText("nested too deeply")
        if isinstance(value, str):
            return clean_text(value)
        if isinstance(value, list):
            return [walk(item, depth + 1) for item in value]
        if isinstance(value, dict):
            return {clean_text(str(key)): walk(item, depth + 1) for key, item in value.items()}
        return value

    return walk(data, 0)


def xml_text(value: object) -> str:
    """``value`` as text that XML 1.0 accepts (for feeds and exports of rows stored before
    text was cleaned at the door): control characters and lone surrogates removed."""
    return _SURROGATE.sub("", _CONTROL.sub("", "" if value is None else str(value)))
