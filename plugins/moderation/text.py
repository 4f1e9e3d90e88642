"""Dates and durations in the reader's language and time zone, for messages."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from babel import Locale, dates

from tisserand.i18n import get_locale

if TYPE_CHECKING:
    from tisserand.models import Member


def zone(member: Member | None = None) -> str:
    """The member's time zone, else the site's."""
    from tisserand.site import current_site

    if member is not None and member.timezone:
        return member.timezone
    return current_site().settings.site.timezone


def when(value: datetime, member: Member | None = None) -> str:
    """A date and time such as "22 nov. 2026, 14:32" / "Nov 22, 2026, 2:32 PM"."""
    try:
        tz = dates.get_timezone(zone(member))
    except LookupError:
        tz = dates.get_timezone("UTC")
    locale = Locale.parse(get_locale())
    day = dates.format_skeleton("yMMMd", value, tzinfo=tz, locale=locale)
    hour = dates.format_time(value, "short", tzinfo=tz, locale=locale)
    pattern = str(locale.datetime_formats.get("medium", "{1}, {0}")).replace("'", "")
    return pattern.replace("{1}", day).replace("{0}", hour)


def clock_time(value: datetime, member: Member | None = None) -> str:
    """Only the time of day ("14:32" / "2:32 PM")."""
    try:
        tz = dates.get_timezone(zone(member))
    except LookupError:
        tz = dates.get_timezone("UTC")
    return dates.format_time(value, "short", tzinfo=tz, locale=get_locale())


def duration(seconds: int | float) -> str:
    """A rounded duration such as "42 seconds" / "3 heures"."""
    return dates.format_timedelta(timedelta(seconds=max(1, int(seconds))), threshold=1.5,
                                  locale=get_locale())
