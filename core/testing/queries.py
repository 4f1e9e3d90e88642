"""Count the SQL queries a piece of code runs (for "no N+1" tests).

Tortoise logs every statement on the ``tortoise.db_client`` logger at DEBUG level; the counter
listens there, so queries inside transactions count too::

    with count_queries() as queries:
        response = await client.get(url)
    assert len(queries) <= 8, queries.statements
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

_NOT_QUERIES = ("Created connection pool", "Closed connection pool", "Connection to", "Created connection")


class QueryLog(logging.Handler):
    """The statements seen while active."""

    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.statements: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if message.startswith(_NOT_QUERIES):
            return
        verb = message.lstrip().split(None, 1)[0].upper() if message.strip() else ""
        if verb in {"SELECT", "INSERT", "UPDATE", "DELETE", "WITH", "BEGIN", "COMMIT", "ROLLBACK",
                    "SAVEPOINT", "RELEASE", "TRUNCATE", "CREATE", "ALTER", "DROP", "PRAGMA"}:
            self.statements.append(message)

    def __len__(self) -> int:
        return len(self.statements)


@contextmanager
def count_queries() -> Iterator[QueryLog]:
    """Collect the statements run inside the ``with`` block."""
    logger = logging.getLogger("tortoise.db_client")
    handler = QueryLog()
    previous = logger.level
    logger.setLevel(logging.DEBUG)
    logger.addHandler(handler)
    try:
        yield handler
    finally:
        logger.removeHandler(handler)
        logger.setLevel(previous)
