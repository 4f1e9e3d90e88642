"""Failures that bad input provokes deep down, mapped once to the 4xx a person understands.

Routes validate at the door (bounded ids, clean text, length limits); this is the net below
them: whatever route lets through a value the database refuses — a number out of range, a
text too long for its column, a NUL byte, a duplicate that a unique constraint catches when
two requests race — answers 409 or 422, never 500.
"""

from __future__ import annotations

import sys

from tortoise.exceptions import IntegrityError, OperationalError
from tortoise.exceptions import ValidationError as ModelValidationError

from tisserand.errors import Conflict, TisserandError, ValidationFailed
from tisserand.i18n import _

LOW_LEVEL_ERRORS: tuple[type[BaseException], ...] = (IntegrityError, OperationalError, ModelValidationError,
                                                     OverflowError)


def postgres_errors() -> tuple[type[BaseException], ...]:
    """asyncpg's errors for arguments refused before sending, for PostgreSQL sites only (the
    app adds them: importing asyncpg costs ~14 MiB that a SQLite site does not need)."""
    try:
        import asyncpg
    except ImportError:  # pragma: no cover - SQLite-only installs
        return ()
    return (asyncpg.exceptions._base.DataError,)


def _asyncpg_data_error(exc: BaseException) -> bool:
    asyncpg = sys.modules.get("asyncpg")  # not loaded: the site is not on PostgreSQL
    if asyncpg is None:
        return False
    data_errors = (asyncpg.exceptions.DataError, asyncpg.exceptions._base.DataError)
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, data_errors):
            return True
        current = current.__cause__ or current.__context__
    return False


def _not_null(exc: BaseException) -> bool:
    text = str(exc).lower()
    return "not null" in text or "null value" in text


def classify(exc: BaseException) -> TisserandError | None:
    """The person-readable error for a low-level failure caused by the input, or None for a
    real server failure (which stays a 500)."""
    if isinstance(exc, IntegrityError):
        if _not_null(exc):
            return ValidationFailed(_("A required value is missing."))
        return Conflict(_("This was already done, or changed meanwhile. Reload the page and try again."))
    if isinstance(exc, ModelValidationError):
        return ValidationFailed(_("A value is not accepted (too long, or of the wrong kind)."))
    if isinstance(exc, OverflowError):  # SQLite: an integer beyond 64 bits
        return ValidationFailed(_("A number is out of range."))
    if isinstance(exc, OperationalError | ValueError) and _asyncpg_data_error(exc):
        return ValidationFailed(_("A value is not accepted (out of range, too long, or with characters "
                                  "that cannot be stored)."))
    return None
