"""Shared converters for ids and numbers that come from outside: path segments, query
parameters and JSON bodies. Ids are 32-bit in PostgreSQL (and 64-bit in SQLite): a larger or
negative number can never name a row, so it is refused at the door — 404 in a path, 422 in a
body — instead of reaching the database and failing there.

- In a route path write ``{id:id}`` (not ``{id:id}``): the ``id`` convertor matches only
  0 … 2³¹−1, so a larger number answers 404 like any unknown address.
- In a pydantic body model use :data:`Id` (``reply_to: Id | None = None``, ``ids: list[Id]``).
- For a query parameter use :func:`tisserand.web.api.int_param` (bounded) or :func:`id_param`.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import AfterValidator, Field
from starlette.convertors import Convertor, register_url_convertor

__all__ = ["MAX_ID", "Day", "Id", "check_day", "id_or_none", "is_id"]

MAX_ID = 2**31 - 1

# 0 … 2147483647, leading zeros allowed: a regular expression, so the router itself refuses
# anything larger (no conversion error can happen later).
_ID_PATTERN = (
    "0*(?:[0-9]{1,9}|1[0-9]{9}|20[0-9]{8}|21[0-3][0-9]{7}|214[0-6][0-9]{6}|2147[0-3][0-9]{5}"
    "|21474[0-7][0-9]{4}|214748[0-2][0-9]{3}|2147483[0-5][0-9]{2}|21474836[0-3][0-9]|214748364[0-7])"
)

Id = Annotated[int, Field(ge=1, le=MAX_ID, strict=False)]
"""A row id in a JSON body: a whole number from 1 to 2³¹−1 (422 otherwise)."""


class IdConvertor(Convertor[int]):
    """``{name:id}``: a row id in a path, 0 … 2³¹−1 (anything else does not match: 404)."""

    regex = _ID_PATTERN

    def convert(self, value: str) -> int:
        return int(value)

    def to_string(self, value: int) -> str:
        value = int(value)
        if not 0 <= value <= MAX_ID:
            raise ValueError("id out of range")
        return str(value)


def is_id(value: object) -> bool:
    """Whether ``value`` is an int that can name a row."""
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= MAX_ID


def id_or_none(raw: str | None) -> int | None:
    """A query-string id (``?before=123``), or None when missing, not a number or out of range."""
    if raw is None or not raw.isdigit() or len(raw) > 10:
        return None
    value = int(raw)
    return value if value <= MAX_ID else None


register_url_convertor("id", IdConvertor())


# --- dates -------------------------------------------------------------------------------

MIN_DAY = date(1970, 1, 1)
MAX_DAY = date(2199, 12, 31)


def check_day(value: date) -> date:
    """``value`` if it is a plausible day for community life (1970 … 2199), else ValueError.

    Older dates meet historical time-zone offsets (Paris ran on local mean time, +00:09:21,
    until 1911) that do not survive a round trip through the database; nobody schedules a
    survey or a season there."""
    if not MIN_DAY <= value <= MAX_DAY:
        raise ValueError(f"the date must be between {MIN_DAY.isoformat()} and {MAX_DAY.isoformat()}")
    return value


Day = Annotated[date, AfterValidator(check_day)]
"""A calendar day in a JSON body, 1970-01-01 … 2199-12-31 (422 otherwise)."""
