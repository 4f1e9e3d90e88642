"""Time zones: known IANA names, local wall-clock times to UTC (with the DST traps), repeats
that keep the local hour, and display in the meet-up's zone and the viewer's."""

from __future__ import annotations

import calendar
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from babel import Locale, dates

from tisserand.db import utcnow as utcnow  # re-exported: the core's clock
from tisserand.errors import ValidationFailed
from tisserand.i18n import _, format_datetime, get_locale
from tisserand.localtime import wall_to_utc

MAX_DURATION = timedelta(days=31)


@lru_cache(maxsize=1)
def known_timezones() -> tuple[str, ...]:
    """Every IANA zone name this system knows, sorted."""
    return tuple(sorted(available_timezones()))


@lru_cache(maxsize=1)
def _known() -> frozenset[str]:
    return frozenset(known_timezones())


def is_known(name: str) -> bool:
    """Is ``name`` an IANA zone this system knows?"""
    return name in _known()


def zone(name: str, field: str = "timezone") -> ZoneInfo:
    """The zone called ``name`` or a 422 that says so."""
    name = (name or "").strip()
    if not is_known(name):
        raise ValidationFailed(
            _("Unknown time zone: \u201c{name}\u201d. Use a name such as Europe/Paris or America/Toronto.",
              name=name),
            fields={field: _("Unknown time zone.")})
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValidationFailed(_("Unknown time zone: \u201c{name}\u201d.", name=name),
                               fields={field: _("Unknown time zone.")}) from None


def localize(wall: datetime, tz: ZoneInfo, field: str, fold: int | None = None) -> datetime:
    """A naive local time in ``tz`` as an aware UTC time: see
    :func:`tisserand.localtime.wall_to_utc` (a skipped time is refused; for a repeated one,
    ``fold`` says which, else the person is asked)."""
    return wall_to_utc(wall, tz, field, fold)


def parse_datetime(raw: Any, tz: ZoneInfo, field: str, fold: int | None = None) -> datetime:
    """A time from a form (``2031-03-28T18:00``) or JSON (ISO 8601, with or without offset):
    without an offset it is read in the meet-up's zone (``fold`` picks the first or second of
    a time that happens twice). Returns UTC."""
    if isinstance(raw, datetime):
        value = raw
    else:
        text = str(raw or "").strip()
        if not text:
            raise ValidationFailed(_("Give a date and time."), fields={field: _("Required.")})
        try:
            value = datetime.fromisoformat(text.replace("Z", "+00:00").replace(" ", "T", 1))
        except ValueError:
            raise ValidationFailed(_("\u201c{value}\u201d is not a date and time (expected 2031-03-28T18:00).",
                                     value=text[:40]),
                                   fields={field: _("A date and time like 2031-03-28T18:00.")}) from None
    if value.tzinfo is None:
        return localize(value, tz, field, fold)
    return value.astimezone(UTC)


def check_times(starts_at: datetime, ends_at: datetime) -> None:
    """The end must come after the start, and a meet-up lasts at most a month."""
    if ends_at <= starts_at:
        raise ValidationFailed(_("The end must come after the start."),
                               fields={"ends_at": _("Must be after the start.")})
    if ends_at - starts_at > MAX_DURATION:
        raise ValidationFailed(_("A meet-up lasts at most 31 days."),
                               fields={"ends_at": _("At most 31 days after the start.")})


def _add_months(value: datetime, months: int) -> datetime:
    month = value.month - 1 + months
    year = value.year + month // 12
    month = month % 12 + 1
    day = min(value.day, calendar.monthrange(year, month)[1])
    return value.replace(year=year, month=month, day=day)


def repeat(starts_at: datetime, ends_at: datetime, tz: ZoneInfo, every: str,
           count: int) -> list[tuple[datetime, datetime]]:
    """``count`` occurrences, weekly or monthly, at the same local time in ``tz`` (so a
    meet-up at 18:00 stays at 18:00 when the clocks change). Times in UTC."""
    duration = ends_at - starts_at
    local = starts_at.astimezone(tz).replace(tzinfo=None)
    out = []
    for index in range(count):
        wall = local + timedelta(weeks=index) if every == "week" else _add_months(local, index)
        start = wall.replace(tzinfo=tz, fold=0).astimezone(UTC)
        if start.astimezone(tz).replace(tzinfo=None) != wall:
            # Lands in the skipped hour: keep the wall-clock distance by moving an hour later.
            start = (wall + timedelta(hours=1)).replace(tzinfo=tz).astimezone(UTC)
        out.append((start, start + duration))
    return out


def to_zone(value: datetime, name: str) -> datetime:
    """``value`` seen in zone ``name``."""
    return value.astimezone(ZoneInfo(name))


@lru_cache(maxsize=16)
def _locale(code: str) -> Locale:
    return Locale.parse(code)


@lru_cache(maxsize=4096)
def _day(day: date, code: str, format: str = "full") -> str:
    # Maps and lists show hundreds of dates: Babel's formatting is slow, the dates repeat.
    return dates.format_date(day, format, locale=_locale(code))


@lru_cache(maxsize=4096)
def _clock(moment: time, code: str) -> str:
    return dates.format_time(moment, "short", locale=_locale(code))


def format_range(starts_at: datetime, ends_at: datetime, zone_name: str) -> str:
    """"Saturday 28 March 2031, 18:00 – 20:00" in the active language and ``zone_name``."""
    tz = ZoneInfo(zone_name)
    code = get_locale()
    start, end = starts_at.astimezone(tz), ends_at.astimezone(tz)
    day = _day(start.date(), code)
    begin = _clock(start.time().replace(second=0, microsecond=0), code)
    finish = _clock(end.time().replace(second=0, microsecond=0), code)
    if start.date() == end.date():
        return f"{day}, {begin}\u202f\u2013\u202f{finish}"
    return f"{day}, {begin}\u202f\u2013\u202f{_day(end.date(), code)}, {finish}"


def format_start(starts_at: datetime, zone_name: str, format: str = "medium") -> str:
    """The start date and time in ``zone_name`` (short forms for lists), never with seconds:
    "28 mars 2031, 18:00" / "Mar 28, 2031, 6:00 PM" (the core's :func:`format_datetime`)."""
    return format_datetime(starts_at, format, tz=zone_name)


def zone_label(zone_name: str, at: datetime) -> str:
    """"Europe/Paris (UTC+02:00)" at the given moment."""
    offset = at.astimezone(ZoneInfo(zone_name)).strftime("%z")
    return f"{zone_name} (UTC{offset[:3]}:{offset[3:]})"


def viewer_zone(viewer: Any, fallback: str) -> str:
    """The viewer's zone (their profile's, when valid) or ``fallback``."""
    name = getattr(viewer, "timezone", "") or ""
    return name if is_known(name) else fallback

