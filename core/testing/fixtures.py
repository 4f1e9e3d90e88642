"""pytest fixtures for Tisserand and its plugins (loaded through the ``pytest11`` entry point).

Database-touching tests run twice, on SQLite and on PostgreSQL (``[sqlite]`` / ``[postgres]`` in
the test id). Set ``TISSERAND_TEST_DATABASES=sqlite`` to run one flavour while iterating.

Fixtures:

- ``site``: a started site with every installed plugin enabled, on a fresh database.
- ``site_factory``: ``await site_factory(enabled=[...], extra_plugins={...}, config={...})``.
- ``app`` / ``client``: the ASGI app and an HTTP client bound to it (:class:`TestClient`).
- ``factory``: members, communities with roles, and content (:class:`Factory`).
- ``mailbox``: a real SMTP server on loopback; the site sends mail to it.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio

from tisserand.testing import databases
from tisserand.testing.client import TestClient
from tisserand.testing.factory import Factory
from tisserand.testing.mailbox import Mailbox

FLAVOURS = [f for f in os.environ.get("TISSERAND_TEST_DATABASES", "sqlite,postgres").split(",") if f]
TEST_SECRET = "test-secret-key-not-for-production-0123456789"


def all_installed_plugins() -> list[str]:
    """Names of every plugin installed in this environment."""
    from tisserand.plugin_manager import installed_plugins

    return sorted(installed_plugins())


def make_settings(instance: Path, url: str, enabled: list[str], config: dict[str, Any] | None = None) -> Any:
    """Settings for a test instance: fast argon2, the given database and plugins."""
    from tisserand.settings import Settings

    data: dict[str, Any] = {
        "site": {"secret_key": TEST_SECRET, "base_url": "http://testserver", "default_locale": "en"},
        "database": {"url": url},
        "auth": {"argon2_time_cost": 1, "argon2_memory_kib": 8, "argon2_parallelism": 1},
        "mail": {"backend": "null"},
        "jobs": {"backend": "local", "eager": True},
        "plugins": {"enabled": enabled},
    }
    for section, values in (config or {}).items():
        if isinstance(values, dict):
            data.setdefault(section, {}).update(values)
    return Settings.model_validate({**data, "instance_dir": instance})


def _migrate(url: str, instance: Path, enabled: list[str], extra: dict[str, object] | None = None) -> None:
    from tisserand.migrate import apply_migrations
    from tisserand.plugin_manager import Plugins

    settings = make_settings(instance, url, enabled)
    databases.run_sync(apply_migrations(settings, Plugins(settings, extra=extra).load()))


def _forget_cached_queries() -> None:
    # Tortoise caches each model's INSERT statement per connection name, not per dialect: a
    # process that switches between SQLite and PostgreSQL (only tests do) must drop the cache.
    from tortoise.backends.base import executor

    executor.EXECUTOR_CACHE.clear()


@pytest.fixture(scope="session", params=FLAVOURS)
def database_flavour(request: pytest.FixtureRequest) -> str:
    """``sqlite`` or ``postgres``: every database test runs once with each."""
    return str(request.param)


@pytest.fixture(scope="session")
def _sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("template")
    path = folder / "template.sqlite3"
    _migrate(f"sqlite://{path}", folder, all_installed_plugins())
    return path


@pytest.fixture(scope="session")
def _postgres_database(tmp_path_factory: pytest.TempPathFactory) -> Any:
    reason = databases.postgres_available()
    if reason is not None:
        if os.environ.get("TISSERAND_REQUIRE_POSTGRES") == "1":
            pytest.fail(f"PostgreSQL is required (TISSERAND_REQUIRE_POSTGRES=1) but unreachable: {reason}")
        yield None, reason
        return
    url = databases.create_postgres_database()
    _migrate(url, tmp_path_factory.mktemp("pg"), all_installed_plugins())
    try:
        yield url, None
    finally:
        databases.drop_postgres_database(url)


@pytest.fixture
def database_url(database_flavour: str, request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh, migrated database for one test."""
    if database_flavour == "postgres":
        url, reason = request.getfixturevalue("_postgres_database")
        if url is None:
            pytest.skip(f"PostgreSQL tests skipped: {reason}")
        return str(url)
    template = request.getfixturevalue("_sqlite_template")
    target = tmp_path / "test.sqlite3"
    databases.copy_sqlite(template, target)
    return f"sqlite://{target}"


@pytest.fixture
def mailbox() -> Iterator[Mailbox]:
    """A real SMTP server (aiosmtpd) on loopback collecting what the site sends (a plain
    fixture: ``site_factory`` looks it up from inside the event loop)."""
    box = Mailbox()
    box.start()
    try:
        yield box
    finally:
        box.stop()


@pytest_asyncio.fixture
async def site_factory(database_url: str, database_flavour: str, tmp_path: Path,
                       request: pytest.FixtureRequest) -> AsyncIterator[Callable[..., Any]]:
    """Build and start a site: ``await site_factory(enabled=None, extra_plugins=None, config=None)``.

    ``enabled`` defaults to every installed plugin; ``extra_plugins`` maps names to plugin
    objects registered without an entry point (their migrations are applied first).
    """
    from tisserand.site import Site

    started: list[Any] = []
    mail: dict[str, Any] = {}
    if "mailbox" in request.fixturenames:
        box = request.getfixturevalue("mailbox")
        mail = {"backend": "smtp", "host": box.host, "port": box.port, "timeout": 5}

    async def make(enabled: list[str] | None = None, extra_plugins: dict[str, object] | None = None,
                   config: dict[str, Any] | None = None) -> Any:
        from tisserand.migrate import apply_migrations
        from tisserand.plugin_manager import Plugins

        names = all_installed_plugins() if enabled is None else list(enabled)
        names += [n for n in (extra_plugins or {}) if n not in names]
        merged = {"mail": mail, **(config or {})}
        settings = make_settings(tmp_path, database_url, names, merged)
        plugins = Plugins(settings, extra=extra_plugins).load()
        if extra_plugins:
            await apply_migrations(settings, plugins)
        site = Site(settings, plugins)
        _forget_cached_queries()
        await site.start()
        if database_flavour == "postgres":
            from tisserand.db import connection

            await databases.truncate_all(connection())
        started.append(site)
        return site

    try:
        yield make
    finally:
        for site in reversed(started):
            await site.stop()


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "plugins(*names, config=None): the plugins enabled for the `site` fixture "
        "(default: every installed plugin), and extra config sections as a dict")


@pytest_asyncio.fixture
async def site(site_factory: Callable[..., Any], request: pytest.FixtureRequest) -> Any:
    """A started site: every installed plugin enabled, or those named by
    ``@pytest.mark.plugins("kudos", "forums", config={...})`` on the test, class or module."""
    marker = request.node.get_closest_marker("plugins")
    if marker is None:
        return await site_factory()
    return await site_factory(enabled=list(marker.args), config=marker.kwargs.get("config"))


@pytest.fixture
def app(site: Any) -> Any:
    """The ASGI app of ``site`` (the scheduler does not run in tests)."""
    from tisserand.web.app import create_app

    return create_app(site, run_scheduler=False)


@pytest_asyncio.fixture
async def client(app: Any) -> AsyncIterator[TestClient]:
    """An HTTP client talking to ``app`` in-process (see :class:`TestClient`)."""
    async with TestClient.for_app(app) as http:
        yield http


@pytest.fixture
def factory(site: Any) -> Factory:
    """Factories for members, communities and content on ``site``."""
    return Factory(site)
