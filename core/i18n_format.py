"""Typography and formats in the reader's language: French elision and spacing before
punctuation, dates ("1er"), times without seconds, numbers, decimals, percentages, "3 days ago"."""

from __future__ import annotations

import re
from datetime import date, datetime

from babel import Locale, dates, numbers

from tisserand.i18n_locale import get_locale

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
