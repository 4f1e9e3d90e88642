"""The database: Tortoise configuration for the core and each plugin, start/stop, raw reads.

The core and every plugin with models are separate Tortoise apps, each with its own
``migrations`` package. Hot pages read rows with :func:`fetch_all` (plain dicts, no model
objects), as measured in docs/architecture.md. The two databases answer raw SQL differently
(SQLite gives timestamps and JSON columns as text, PostgreSQL as datetimes and decoded values):
:func:`as_datetime`, :func:`as_json` and the ``datetimes=``/``json=`` arguments of
:func:`fetch_all` and :func:`fetch_one` give the same Python values on both.
"""

from __future__ import annotations

import json as _json_module
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from tortoise import connections
from tortoise.context import TortoiseContext
from tortoise.models import MODEL

if TYPE_CHECKING:
    from tisserand.plugin_manager import Plugins
    from tisserand.settings import Settings

__all__ = ["as_datetime", "as_json", "decode_rows", "dialect", "execute", "execute_many", "fetch_all", "fetch_one",
           "model_from_row", "utcnow"]

CORE_APP = "core"


def migrations_module_for(models_module: str) -> str:
    """The conventional migrations package beside a models module (``x.models`` → ``x.migrations``)."""
    package = models_module.rsplit(".", 1)[0] if "." in models_module else models_module
    return f"{package}.migrations"


def connection_config(url: str) -> str | dict[str, Any]:
    """Tortoise's connection config for ``url``: the URL itself on SQLite; on PostgreSQL its
    expanded form, with a pool that does not reset sessions on the server (see
    :func:`release_to_pool`)."""
    if not url.startswith(("postgres://", "postgresql://")):
        return url
    from tortoise.backends.base.config_generator import expand_db_url

    config = expand_db_url(url)
    config["credentials"]["reset"] = release_to_pool
    return config


async def release_to_pool(connection: Any) -> None:
    """What asyncpg's pool does to a connection given back, besides what it always does (roll
    back a transaction left open, drop its listeners): nothing.

    By default the pool sends ``RESET ALL; UNLISTEN *; CLOSE ALL; SELECT
    pg_advisory_unlock_all()`` to the server each time, a round trip after every query outside
    a transaction: it tripled the CPU each query cost the web process (440–500 µs instead of
    140–160) and added to the server's work. Pooled connections keep no session state, as behind a
    transaction-mode PgBouncer: settings are changed with ``SET LOCAL`` or ``set_config(…,
    true)`` inside a transaction, ``LISTEN`` has its own connection (``tisserand.events``),
    advisory locks and cursors live in transactions."""


def orm_apps(plugins: Plugins) -> dict[str, dict[str, Any]]:
    """Tortoise ``apps`` config: ``core`` plus one app per enabled plugin that has models."""
    apps: dict[str, dict[str, Any]] = {
        CORE_APP: {"models": ["tisserand.models"], "migrations": "tisserand.migrations",
                   "default_connection": "default"},
    }
    for name, modules in plugins.per_plugin("tisserand_models"):
        if modules:
            apps[name] = {"models": list(modules), "migrations": migrations_module_for(modules[0]),
                          "default_connection": "default"}
    return apps


def orm_config(settings: Settings, plugins: Plugins, url: str | None = None) -> dict[str, Any]:
    """The full Tortoise config for a site."""
    return {
        "connections": {"default": connection_config(url or settings.database_url)},
        "apps": orm_apps(plugins),
        "use_tz": True,
        "timezone": "UTC",
    }


async def open_orm(config: dict[str, Any], *, global_fallback: bool = True) -> TortoiseContext:
    """Start Tortoise with ``config`` and return its context.

    ``global_fallback`` makes the context visible to every task (uvicorn runs the lifespan and
    the requests in different tasks); only one such context can exist in a process at a time.
    """
    ctx = TortoiseContext()
    ctx.__enter__()
    await ctx.init(config=config, _enable_global_fallback=global_fallback)
    return ctx


async def close_orm(ctx: TortoiseContext) -> None:
    """Close the connections of a context opened by :func:`open_orm`."""
    await ctx.close_connections()
    try:
        ctx.__exit__(None, None, None)
    except ValueError:
        pass  # closed from another task than the one that opened it (test teardown): nothing to restore


def connection() -> Any:
    """The default database connection of the active context."""
    return connections.get("default")


def dialect() -> str:
    """``sqlite`` or ``postgres``."""
    return str(connection().capabilities.dialect)


def placeholders(count: int, start: int = 1) -> list[str]:
    """Parameter markers for raw SQL in the current dialect (``?`` or ``$1``)."""
    if dialect() == "postgres":
        return [f"${i}" for i in range(start, start + count)]
    return ["?"] * count


def sql(query: str) -> str:
    """Turn a query written with ``?`` markers into the current dialect's markers."""
    if dialect() != "postgres" or "?" not in query:
        return query
    parts = query.split("?")
    out = [parts[0]]
    for index, part in enumerate(parts[1:], start=1):
        out.append(f"${index}{part}")
    return "".join(out)


def utcnow() -> datetime:
    """Now, as an aware datetime in UTC (what every timestamp column holds)."""
    return datetime.now(UTC)


def as_datetime(value: Any) -> datetime | None:
    """An aware UTC datetime from a raw SQL value, or ``None``.

    SQLite answers timestamps as ISO strings, PostgreSQL as datetimes; a naive value is taken as
    UTC; ``None``, an empty string and text that is not a timestamp give ``None``.
    """
    if value is None or value == "":
        return None
    if isinstance(value, bytes):
        value = value.decode()
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            return None
    if not isinstance(value, datetime):
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def as_json(value: Any, default: Any = None) -> Any:
    """The Python value of a raw SQL JSON column, or ``default`` when it is empty or not JSON.

    SQLite answers JSON columns as text, PostgreSQL through raw queries as text or decoded values.
    """
    if value is None:
        return default
    if isinstance(value, str | bytes):
        if not value:
            return default
        try:
            return _json_module.loads(value)
        except ValueError:
            return default
    return value


def decode_rows(rows: list[dict[str, Any]], *, datetimes: Iterable[str] = (),
                json: Iterable[str] = ()) -> list[dict[str, Any]]:
    """Decode, in place, the named timestamp and JSON columns of raw rows (see :func:`as_datetime`
    and :func:`as_json`; a column a row does not have is skipped) and return the rows."""
    datetimes, json = tuple(datetimes), tuple(json)
    for row in rows:
        for name in datetimes:
            if name in row:
                row[name] = as_datetime(row[name])
        for name in json:
            if name in row:
                row[name] = as_json(row[name])
    return rows


_MODEL_COLUMNS: dict[type, tuple[str, ...]] = {}


def model_columns(model: Any) -> tuple[str, ...]:
    """The columns the ORM reads to build ``model`` (its ``_init_from_db`` expects every one),
    for raw queries whose rows become model objects."""
    if model not in _MODEL_COLUMNS:
        meta = model._meta
        _MODEL_COLUMNS[model] = tuple(sorted(
            key for key, _field, _type in (*meta.db_native_fields, *meta.db_default_fields, *meta.db_complex_fields)))
    return _MODEL_COLUMNS[model]


def partial_model(model: Any, **values: Any) -> Any:
    """A ``model`` object from some of its columns (the others None), for hooks that read a row
    already in hand. Marked partial, as the ORM marks an ``.only()`` read, so that it cannot
    be saved over the row by mistake. Values are converted as the ORM converts what it reads
    (an enum column's text becomes the enum); built from a prototype of the model (a few µs:
    lists build one per item)."""
    prototype, converters = _PARTIAL.get(model) or _partial_prototype(model)
    obj = model.__new__(model)
    state = obj.__dict__
    state.update(prototype)
    state["_await_when_save"] = {}
    for key, value in values.items():
        attribute, convert = converters[key]
        state[attribute] = value if convert is None or value is None else convert(value)
    return obj


_PARTIAL: dict[Any, tuple[dict[str, Any], dict[str, tuple[str, Any]]]] = {}


def _partial_prototype(model: Any) -> tuple[dict[str, Any], dict[str, tuple[str, Any]]]:
    """What :func:`partial_model` copies: an object with every column None, and per column the
    attribute it sets and the conversion the ORM applies (as in ``Model._init_from_db``)."""
    empty = model._init_from_db(**dict.fromkeys(model_columns(model)))
    empty._partial = True
    meta = model._meta
    converters: dict[str, tuple[str, Any]] = {}
    for key, attribute, _field in meta.db_native_fields:
        converters[key] = (attribute, None)
    for key, attribute, field in meta.db_default_fields:
        converters[key] = (attribute, field.field_type)
    for key, attribute, field in meta.db_complex_fields:
        converters[key] = (attribute, field.to_python_value)
    _PARTIAL[model] = (dict(empty.__dict__), converters)
    return _PARTIAL[model]


async def fetch_all(query: str, params: list[Any] | tuple[Any, ...] = (), *, datetimes: Iterable[str] = (),
                    json: Iterable[str] = ()) -> list[dict[str, Any]]:
    """Run a read query (written with ``?`` markers) and return rows as dicts.

    The columns named in ``datetimes`` come back as aware UTC datetimes and those in ``json`` as
    decoded values, the same on SQLite and PostgreSQL (:func:`decode_rows`).
    """
    rows = list(await connection().execute_query_dict(sql(query), list(params)))
    return decode_rows(rows, datetimes=datetimes, json=json) if datetimes or json else rows


async def fetch_one(query: str, params: list[Any] | tuple[Any, ...] = (), *, datetimes: Iterable[str] = (),
                    json: Iterable[str] = ()) -> dict[str, Any] | None:
    """Like :func:`fetch_all` for at most one row."""
    rows = await fetch_all(query, params, datetimes=datetimes, json=json)
    return rows[0] if rows else None


def model_from_row(model: type[MODEL], row: Mapping[str, Any], prefix: str = "") -> MODEL:
    """A model instance from a raw row holding every column of its table (``SELECT c.*, …``
    through :func:`fetch_one` or :func:`fetch_all`), as if the ORM had read it: values decoded
    the same way, usable as a foreign key, no SQL built. Other columns of the row (a joined
    table's, under aliases) are ignored. With ``prefix``, the model's columns are read as
    ``prefix + column`` (two tables in one row: ``SELECT s.id AS s__id, …``). A row missing a
    column gives a partial instance that cannot be saved."""
    values = {name: row[prefix + name] for name in model_columns(model)} if prefix else dict(row)
    for name in _datetime_columns(model):  # SQLite's text, read faster than the ORM's parser does
        value = values.get(name)
        if isinstance(value, str):
            try:
                values[name] = datetime.fromisoformat(value)
            except ValueError:
                pass  # left to the ORM
    return model._init_from_db(**values)


_DATETIME_COLUMNS: dict[type, tuple[str, ...]] = {}


def _datetime_columns(model: Any) -> tuple[str, ...]:
    if model not in _DATETIME_COLUMNS:
        from tortoise.fields import DatetimeField

        meta = model._meta
        _DATETIME_COLUMNS[model] = tuple(
            field.source_field or name for name, field in meta.fields_map.items() if isinstance(field, DatetimeField))
    return _DATETIME_COLUMNS[model]


async def execute(query: str, params: list[Any] | tuple[Any, ...] = ()) -> int:
    """Run a write query written with ``?`` markers; returns the number of rows it changed
    (``UPDATE … WHERE`` claims: 0 means another process got there first). Inside
    ``in_transaction()`` it runs in that transaction."""
    changed, _rows = await connection().execute_query(sql(query), list(params))
    return int(changed or 0)


async def execute_many(query: str, rows: list[list[Any]] | list[tuple[Any, ...]]) -> None:
    """Run one write query (``?`` markers) once per row of parameters, in one round trip where
    the driver allows it."""
    await connection().execute_many(sql(query), [list(row) for row in rows])
