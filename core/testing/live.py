"""A real server for browser tests: a fresh instance folder served by uvicorn in a subprocess."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")

CONFIG = """[site]
name = "Tisserand (tests)"
base_url = "{url}"
default_locale = "{locale}"
secret_key = "browser-tests-secret-key-0123456789abcdef"
[database]
url = "{database_url}"
[auth]
argon2_time_cost = 1
argon2_memory_kib = 8
[mail]
backend = "file"
[plugins]
enabled = {plugins}
"""


def free_port() -> int:
    """An unused TCP port on loopback."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class LiveSite:
    """An instance served on ``url``; ``run(fn)`` runs ``await fn(site)`` against its database
    from the test process (to create accounts and data quickly)."""

    def __init__(self, folder: Path, plugins: list[str], locale: str = "en",
                 database_url: str = "sqlite://data/site.sqlite3", workers: int = 1) -> None:
        self.folder = folder
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        (folder / "data").mkdir(parents=True, exist_ok=True)
        plugin_list = "[" + ", ".join(f'"{p}"' for p in plugins) + "]"
        (folder / "tisserand.toml").write_text(
            CONFIG.format(url=self.url, locale=locale, plugins=plugin_list, database_url=database_url),
            encoding="utf-8")
        self.workers = workers
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> LiveSite:
        """Migrate, start uvicorn and wait until it answers."""
        env = {**os.environ, "TISSERAND_INSTANCE": str(self.folder)}
        subprocess.run([sys.executable, "-m", "tisserand.cli.main", "migrate"], env=env,
                       check=True, capture_output=True)
        self.log = open(self.folder / "server.log", "wb")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "tisserand.web.asgi:app", "--host", "127.0.0.1",
             "--port", str(self.port), "--log-level", "warning", "--workers", str(self.workers)],
            env=env, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(self.url + "/healthz", timeout=1) as response:
                    if response.status == 200:
                        return self
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"server did not start: {(self.folder / 'server.log').read_text()}")

    def stop(self) -> None:
        """Stop the server."""
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
            self.process = None
            self.log.close()

    def run(self, func: Callable[[Any], Awaitable[T]]) -> T:
        """Run ``await func(site)`` with this instance's site started in the test process."""
        from tisserand.site import Site

        async def main() -> T:
            from tortoise.backends.base import executor

            executor.EXECUTOR_CACHE.clear()
            site = Site.load(self.folder)
            await site.start()
            try:
                return await func(site)
            finally:
                await site.stop()

        # In a thread with its own loop: Playwright's sync API keeps a loop running in this one.
        from tisserand.testing.databases import run_sync

        return run_sync(main())  # type: ignore[no-any-return]

    async def open_sessions(self, site: Any, members: list[Any]) -> dict[str, str]:
        """Session cookies for ``members`` (username → secret), to put in a browser's cookies;
        call it inside :meth:`run`."""
        from tisserand.auth import open_session

        secrets = {}
        for member in members:
            secrets[member.username], _session = await open_session(site.settings, member, "browser")
        return secrets

