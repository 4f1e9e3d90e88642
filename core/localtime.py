"""Local wall-clock times typed by people, to UTC, with the two daylight-saving traps.

When the clocks go forward, an hour does not exist (02:30 on the last Sunday of March in
Paris): refused, the person chooses another time. When they go back, an hour happens twice
(02:30 on the last Sunday of October): the person is asked which one they mean — in a form by
a ``{field}_fold`` choice (``0`` the first time, ``1`` the second), in the API by giving the time
with its offset. Nothing is guessed silently.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from tisserand.errors import ValidationFailed
from tisserand.i18n import _

__all__ = ["fold_choice", "is_ambiguous", "wall_to_utc"]


def _offset(moment: datetime) -> str:
    delta = moment.utcoffset()
    minutes = int(delta.total_seconds() // 60) if delta is not None else 0
    sign = "+" if minutes >= 0 else "-"
    return f"UTC{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def is_ambiguous(wall: datetime, tz: ZoneInfo) -> bool:
    """Does the naive local time ``wall`` happen twice in ``tz`` (clocks going back)?"""
    wall = wall.replace(tzinfo=None)
    return wall.replace(tzinfo=tz, fold=0).utcoffset() != wall.replace(tzinfo=tz, fold=1).utcoffset() \
        and wall.replace(tzinfo=tz, fold=0).astimezone(UTC).astimezone(tz).replace(tzinfo=None) == wall


def fold_choice(raw: Any) -> int | None:
    """A form's ``{field}_fold`` value: 0 (the first time), 1 (the second) or None (not chosen)."""
    text = str(raw if raw is not None else "").strip()
    return int(text) if text in ("0", "1") else None


def wall_to_utc(wall: datetime, tz: ZoneInfo, field: str, fold: int | None = None) -> datetime:
    """The naive local time ``wall`` in ``tz`` as an aware UTC time.

    A time that does not exist (skipped when the clocks go forward) is refused with a 422. An
    ambiguous one (repeated when they go back) needs ``fold`` (0: the first time, in summer
    time; 1: the second); without it, a 422 names both and asks to choose — with the error
    ``fields[field + "_fold"]`` so that a form can offer the choice."""
    wall = wall.replace(tzinfo=None)
    first = wall.replace(tzinfo=tz, fold=0)
    utc = first.astimezone(UTC)
    if utc.astimezone(tz).replace(tzinfo=None) != wall:
        raise ValidationFailed(
            _("{time} does not exist in {zone}: the clocks go forward that night. Choose another time.",
              time=wall.strftime("%Y-%m-%d %H:%M"), zone=tz.key),
            fields={field: _("This time does not exist (daylight saving time change).")})
    second = wall.replace(tzinfo=tz, fold=1)
    if first.utcoffset() == second.utcoffset():
        return utc
    if fold is not None:
        return (first if fold == 0 else second).astimezone(UTC)
    when = wall.strftime("%Y-%m-%d %H:%M")
    raise ValidationFailed(
        _("{time} happens twice in {zone}: the clocks go back that night. Choose the first time "
          "({first}) or the second ({second}); in the API, give the time with its offset, e.g. "
          "{example}.", time=when, zone=tz.key, first=_offset(first), second=_offset(second),
          example=first.isoformat(timespec="minutes")),
        fields={field: _("This time happens twice (daylight saving time change): choose which one."),
                f"{field}_fold": _("Which {time}?", time=wall.strftime("%H:%M"))})
