"""Operability: probes, metrics, a database outage answered with 503 + Retry-After and healed
by itself, and Redis going away without a single 500 (real servers, real network cuts)."""

from __future__ import annotations

import asyncio
import logging
import shutil
import socket
import subprocess
import time

import pytest

from tisserand.testing.client import TestClient
from tisserand.testing.factory import PASSWORD, Factory
from tisserand.web.app import create_app


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def _client(site) -> TestClient:
    return TestClient.for_app(create_app(site, run_scheduler=False))


async def test_probes_answer_without_a_session(site):
    async with await _client(site) as client:
        alive = await client.get("/healthz")
        ready = await client.get("/readyz")
    assert alive.status_code == 200 and alive.text == "ok"
    assert ready.status_code == 200 and ready.json() == {"database": "ok", "queue": "ok"}


async def test_metrics_are_off_by_default(site_factory):
    site = await site_factory(enabled=[])
    async with await _client(site) as client:
        assert (await client.get("/metrics")).status_code == 404


async def test_metrics_are_never_public(site_factory):
    site = await site_factory(enabled=[], config={"metrics": {"enabled": True, "allow": ["10.0.0.0/8"]}})
    async with await _client(site) as client:  # the test client comes from 127.0.0.1
        assert (await client.get("/metrics")).status_code == 404


async def test_metrics_count_requests_by_route_status_and_jobs(site_factory):
    site = await site_factory(enabled=[], config={"metrics": {"enabled": True}})
    async with await _client(site) as client:
        assert (await client.get("/c/")).status_code == 200
        assert (await client.get("/c/no-such-community")).status_code == 404
        metrics = await client.get("/metrics")
    assert metrics.status_code == 200 and metrics.headers["content-type"].startswith("text/plain")
    text = metrics.text
    assert 'tisserand_http_requests_total{method="GET",route="/c/",status="200"}' in text
    assert 'route="/c/{slug}",status="404"' in text
    assert "tisserand_http_request_duration_seconds_bucket" in text
    assert "tisserand_sse_connections" in text and "tisserand_jobs" in text


# --- Redis away -------------------------------------------------------------------------------

async def _login_until_throttled(client: TestClient, site) -> list[int]:
    statuses = []
    for _ in range(site.settings.auth.login_attempts_per_15min + 1):
        response = await client.post_form("/login", {"login": "alice", "password": "wrong password!"})
        statuses.append(response.status_code)
    return statuses


async def test_redis_on_a_closed_port_falls_back_with_a_warning(site_factory, caplog):
    site = await site_factory(enabled=[], config={"redis": {"url": f"redis://127.0.0.1:{free_port()}/15"}})
    await Factory(site).member("alice")
    caplog.set_level(logging.WARNING, logger="tisserand.redis")
    async with await _client(site) as client:
        statuses = await _login_until_throttled(client, site)
        ready = await client.get("/readyz")
    assert 500 not in statuses
    assert statuses[:-1] == [422] * (len(statuses) - 1) and statuses[-1] == 429  # limits still apply
    assert ready.status_code == 200 and ready.json()["redis"] == "unreachable"
    assert any("Redis unreachable" in r.getMessage() for r in caplog.records)


@pytest.fixture
def redis_server(tmp_path):
    """A real redis-server on a spare loopback port (stopped by the test when it wants)."""
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("redis-server is not installed")
    port = free_port()
    process = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                                "--appendonly", "no", "--dir", str(tmp_path)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.05)
    yield process, port
    if process.poll() is None:
        process.terminate()
        process.wait(5)


async def test_posting_and_logging_in_survive_redis_stopping(site_factory, redis_server):
    process, port = redis_server
    site = await site_factory(enabled=["forums"], config={"redis": {"url": f"redis://127.0.0.1:{port}/15"}})
    people = Factory(site)
    alice = await people.member("alice")
    await people.community(slug="jardin", coordinator=alice)
    async with await _client(site) as client:
        ok = await client.post_form("/login", {"login": "alice", "password": PASSWORD})
        assert ok.status_code == 303
        import redis.asyncio as redis

        keys = await redis.from_url(f"redis://127.0.0.1:{port}/15").keys("tisserand:rl:*")
        assert keys, "the limits were counted in Redis while it ran"
        process.terminate()
        await asyncio.to_thread(process.wait, 5)
        client.logout_locally()
        again = await client.post_form("/login", {"login": "alice", "password": PASSWORD})
        await client.login_as(alice)
        topic = await client.api("POST", "/api/v1/communities/jardin/forum/topics",
                                 json={"title": "Still here", "body": "Redis went away."})
        ready = await client.get("/readyz")
    assert again.status_code == 303
    assert topic.status_code == 201, topic.text
    assert ready.status_code == 200 and ready.json() == {"database": "ok", "redis": "unreachable", "queue": "ok"}


# --- the database away --------------------------------------------------------------------------

class NetworkCut:
    """A TCP relay to PostgreSQL on a spare loopback port; ``cut()`` drops every connection and
    refuses new ones (as when the database host goes away), ``restore()`` lets them in again."""

    def __init__(self, target_port: int) -> None:
        self.port = free_port()
        self.target_port = target_port
        self.server: asyncio.base_events.Server | None = None
        self.writers: list[asyncio.StreamWriter] = []

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
        except (ConnectionError, OSError):
            pass
        finally:
            writer.close()

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        up_reader, up_writer = await asyncio.open_connection("127.0.0.1", self.target_port)
        self.writers += [writer, up_writer]
        await asyncio.gather(self._pipe(reader, up_writer), self._pipe(up_reader, writer))

    async def restore(self) -> None:
        self.server = await asyncio.start_server(self._handle, "127.0.0.1", self.port)

    async def cut(self) -> None:
        assert self.server is not None
        self.server.close()
        for writer in self.writers:
            writer.transport.abort()
        self.writers = []
        await self.server.wait_closed()


async def test_database_outage_answers_503_then_heals(site_factory, database_flavour, database_url):
    if database_flavour != "postgres":
        pytest.skip("an outage of a database server (SQLite is a file)")
    from urllib.parse import urlsplit

    parts = urlsplit(database_url)
    relay = NetworkCut(parts.port or 5432)
    await relay.restore()
    url = database_url.replace(f":{parts.port or 5432}/", f":{relay.port}/", 1)
    site = await site_factory(enabled=["forums"], config={"database": {"url": url}})
    people = Factory(site)
    alice = await people.member("alice")
    await people.community(slug="jardin", coordinator=alice)
    async with await _client(site) as client:
        await client.login_as(alice)
        assert (await client.get("/c/jardin")).status_code == 200
        await relay.cut()
        page = await client.get("/c/jardin")
        api = await client.api("POST", "/api/v1/communities/jardin/forum/topics",
                               json={"title": "Lost?", "body": "Sent during the outage."})
        alive = await client.get("/healthz")
        ready = await client.get("/readyz")
        await relay.restore()
        healed = None
        for _ in range(20):
            healed = await client.get("/c/jardin")
            if healed.status_code == 200:
                break
            await asyncio.sleep(0.25)
    assert page.status_code == 503 and page.headers["retry-after"] == "5"
    assert "briefly unavailable" in page.text
    assert api.status_code == 503 and api.json()["error"]["code"] == "unavailable"
    assert alive.status_code == 200
    assert ready.status_code == 503 and ready.json()["database"] == "unreachable"
    assert healed is not None and healed.status_code == 200
    from tisserand.models import Content

    assert await Content.filter(title="Lost?").count() == 0  # no partial write
    await relay.cut()
