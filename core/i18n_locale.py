"""Which language is active: the languages we speak, the best of them for an ``Accept-Language``
header, and the locale of the current task (a context variable, set per request)."""

from __future__ import annotations

import contextvars

LANGUAGES = ("fr", "en")
_locale: contextvars.ContextVar[str] = contextvars.ContextVar("tisserand_locale", default="en")


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


def set_locale(language: str) -> contextvars.Token[str]:
    """Make ``language`` the active locale for the current task."""
    return _locale.set(normalize(language) or "en")


def get_locale() -> str:
    """The active language code."""
    return _locale.get()


class use_locale:
    """``with use_locale("fr"): ...`` renders in another language (a recipient's), then restores."""

    def __init__(self, language: str | None) -> None:
        self.language = language

    def __enter__(self) -> str:
        self._token = set_locale(self.language or get_locale())
        return get_locale()

    def __exit__(self, *exc: object) -> None:
        _locale.reset(self._token)
