"""Digest periods: which window of time a digest covers, and its key in the delivery ledger.

A run sends the *previous complete* period: a weekly run at any time during the week of
Monday 23 November sends the week of 16 to 23 November, under the key ``weekly:2026-11-16``.
Windows follow the site's time zone (midnight to midnight, weeks from Monday, calendar months).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


@dataclass(frozen=True)
class Window:
    """A period's time window ``[since, until)`` (aware datetimes) and its ledger key."""

    period: str
    since: datetime
    until: datetime

    @property
    def since_utc(self) -> datetime:
        """``since`` in UTC, as stored in the database (for raw SQL parameters)."""
        return self.since.astimezone(UTC)

    @property
    def until_utc(self) -> datetime:
        """``until`` in UTC."""
        return self.until.astimezone(UTC)

    @property
    def key(self) -> str:
        """The delivery ledger key: period and first local day (``weekly:2026-11-16``)."""
        return f"{self.period}:{self.since.date().isoformat()}"


def zone(name: str) -> ZoneInfo:
    """The site's time zone (UTC when the name is unknown)."""
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def _start_of(period: str, day: date) -> date:
    if period == "daily":
        return day
    if period == "weekly":
        return day - timedelta(days=day.weekday())
    if period == "monthly":
        return day.replace(day=1)
    raise ValueError(f"unknown period {period!r}")


def _previous_start(period: str, start: date) -> date:
    if period == "daily":
        return start - timedelta(days=1)
    if period == "weekly":
        return start - timedelta(days=7)
    return (start - timedelta(days=1)).replace(day=1)


def _at_midnight(day: date, tz: ZoneInfo) -> datetime:
    return datetime.combine(day, time(0), tzinfo=tz)


def current_start(period: str, now: datetime, tz: ZoneInfo) -> datetime:
    """When the period containing ``now`` began (local midnight)."""
    return _at_midnight(_start_of(period, now.astimezone(tz).date()), tz)


def previous_window(period: str, now: datetime | None = None, tz: ZoneInfo | None = None) -> Window:
    """The last complete period before ``now``: what a run at ``now`` sends."""
    tz = tz or ZoneInfo("UTC")
    now = now or datetime.now(UTC)
    start = _start_of(period, now.astimezone(tz).date())
    return Window(period, _at_midnight(_previous_start(period, start), tz), _at_midnight(start, tz))


def current_window(period: str, now: datetime | None = None, tz: ZoneInfo | None = None) -> Window:
    """The period in progress, up to ``now``: what the next digest holds so far (preview)."""
    tz = tz or ZoneInfo("UTC")
    now = now or datetime.now(UTC)
    return Window(period, current_start(period, now, tz), now.astimezone(tz))


def is_due(period: str, now: datetime, tz: ZoneInfo, send_hour: int) -> bool:
    """Has the current period begun ``send_hour`` hours ago or more (scheduled runs wait until
    then, so that digests arrive in the morning)?"""
    return now.astimezone(tz) >= current_start(period, now, tz) + timedelta(hours=send_hour)
