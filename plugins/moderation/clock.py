"""The moderation plugin's clock: one place to read the time (tests move it forward)."""

from __future__ import annotations

from datetime import UTC, datetime


def now() -> datetime:
    """The current time, aware, in UTC."""
    return datetime.now(UTC)


def as_datetime(value: object) -> datetime | None:
    """A datetime from a raw SQL value (SQLite gives ISO strings, PostgreSQL datetimes)."""
    if value is None or isinstance(value, datetime):
        if isinstance(value, datetime) and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value
    parsed = datetime.fromisoformat(str(value))
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)
