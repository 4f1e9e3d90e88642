"""The moderation plugin's clock: one place to read the time (tests move it forward)."""

from __future__ import annotations

from datetime import UTC, datetime

from tisserand.db import as_datetime as as_datetime  # re-exported: the core's row helper


def now() -> datetime:
    """The current time, aware, in UTC."""
    return datetime.now(UTC)

