"""The deploy guide's layout on loopback: two web processes (uvicorn) and two workers on
PostgreSQL and Redis. A reply posted through one web process reaches a live-event client
connected to the other; 3,000 weekly digests go out exactly once to a real SMTP server while a
worker is killed in the middle of the run and the other one finishes it."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tisserand.testing import databases
from tisserand.testing.client import TestClient
from tisserand.testing.mailbox import Mailbox

MEMBERS = 3000
pytestmark = pytest.mark.postgres

CONFIG = """[site]
name = "Loopback"
base_url = "http://127.0.0.1"
default_locale = "en"
secret_key = "loopback-secret-key-0123456789abcdef0123456789"
[database]
url = "{url}"
[redis]
url = "redis://127.0.0.1:{redis}/15"
[mail]
backend = "smtp"
host = "127.0.0.1"
port = {smtp}
timeout = 10
[auth]
argon2_time_cost = 1
argon2_memory_kib = 8
[jobs]
backend = "procrastinate"
heartbeat = 1
stalled_after = 4
[events]
heartbeat = 1
[plugins]
enabled = ["forums", "digests"]
[plugins.digests]
default_frequency = "weekly"
claim_timeout = 5
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_port(port: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise TimeoutError(f"nothing answers on port {port}")


@pytest.fixture
def layout(tmp_path: Path):
    """Database, Redis, SMTP and the instance folder (migrated); processes are started by the test."""
    if databases.postgres_available() is not None or shutil.which("redis-server") is None:
        pytest.skip("needs PostgreSQL and redis-server")
    url = databases.create_postgres_database()
    redis_port = free_port()
    redis = subprocess.Popen(["redis-server", "--port", str(redis_port), "--bind", "127.0.0.1", "--save", "",
                              "--appendonly", "no", "--dir", str(tmp_path)], stdout=subprocess.DEVNULL)
    box = Mailbox()
    box.start()
    folder = tmp_path / "site"
    (folder / "data").mkdir(parents=True)
    (folder / "tisserand.toml").write_text(CONFIG.format(url=url, redis=redis_port, smtp=box.port), encoding="utf-8")
    env = {**os.environ, "TISSERAND_INSTANCE": str(folder)}
    subprocess.run([sys.executable, "-m", "tisserand.cli.main", "migrate"], env=env, check=True, capture_output=True)
    processes: list[subprocess.Popen[bytes]] = []
    try:
        yield folder, env, box, processes
    finally:
        for process in processes:
            if process.poll() is None:
                process.terminate()
        for process in processes:
            try:
                process.wait(5)
            except subprocess.TimeoutExpired:
                process.kill()
        box.stop()
        redis.terminate()
        redis.wait(5)
        databases.drop_postgres_database(url)


def start_web(folder: Path, env: dict[str, str], processes: list) -> str:
    port = free_port()
    log = open(folder / f"web-{port}.log", "wb")  # noqa: SIM115 - the process owns it
    processes.append(subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "tisserand.web.asgi:app", "--host", "127.0.0.1", "--port", str(port),
         "--log-level", "warning", "--timeout-graceful-shutdown", "2"], env=env, stdout=log, stderr=log))
    wait_port(port)
    return f"http://127.0.0.1:{port}"


def start_worker(folder: Path, env: dict[str, str], processes: list, name: str) -> subprocess.Popen[bytes]:
    log = open(folder / f"{name}.log", "wb")  # noqa: SIM115
    process = subprocess.Popen([sys.executable, "-m", "tisserand.cli.main", "worker", "--concurrency", "2"],
                               env=env, stdout=log, stderr=log)
    processes.append(process)
    return process


async def _seed(site, members: int) -> datetime:
    """Members with one notification each in last week's window (so each digest says something)."""
    from tisserand.db import connection, sql
    from tisserand.plugins.digests.periods import previous_window, zone

    window = previous_window("weekly", datetime.now(UTC), zone(site.settings.site.timezone))
    inside = window.since.astimezone(UTC) + timedelta(days=1)
    old = inside - timedelta(days=60)
    db = connection()
    await db.execute_many(sql(
        "INSERT INTO member (id, username, email, display_name, password_hash, is_admin, is_active, "
        "is_placeholder, locale, timezone, city, created_at) VALUES (?, ?, ?, ?, '', FALSE, TRUE, FALSE, 'en', '', '', ?)"),
        [[100 + i, f"m{i:05d}", f"m{i:05d}@loop.test", f"Member {i}", old] for i in range(members)])
    await db.execute_many(sql(
        "INSERT INTO notification (member_id, kind, title, text, url, data, created_at) "
        "VALUES (?, 'loop.ping', ?, '', '/', '{}', ?)"), [[100 + i, f"Ping {i}", inside] for i in range(members)])
    await db.execute_script("SELECT setval(pg_get_serial_sequence('member', 'id'), (SELECT MAX(id) FROM member))")
    return datetime.now(UTC)


async def _addresses(folder: Path, state: str) -> list[dict]:
    from tisserand.db import fetch_all
    from tisserand.site import Site

    site = Site.load(folder)
    await site.start()
    try:
        return await fetch_all("SELECT m.email FROM digests_delivery d JOIN member m ON m.id = d.member_id "
                               "WHERE d.state = ?", [state])
    finally:
        await site.stop()


async def _sse_frames(url: str, member, topics: str, frames: list, ready: asyncio.Event) -> None:
    async with TestClient(base_url=url, timeout=30) as client:
        await client.login_as(member)
        async with client.stream("GET", f"/api/v1/events?topics={topics}") as response:
            ready.set()
            async for line in response.aiter_lines():
                if line.startswith("data: "):
                    frames.append(json.loads(line[6:]))


@pytest.mark.timeout(900)  # 3,000 digests through real workers: about two minutes
async def test_two_web_processes_and_two_workers(layout):
    from tisserand.jobs import defer
    from tisserand.site import Site
    from tisserand.testing.factory import Factory

    folder, env, box, processes = layout
    started = time.monotonic()
    web_1, web_2 = start_web(folder, env, processes), start_web(folder, env, processes)
    site = Site.load(folder)
    await site.start()
    try:
        # --- a reply posted through web-1 reaches a client of web-2 --------------------------------
        people = Factory(site)
        coord, reader = await people.member("coord"), await people.member("reader")
        await people.community(slug="jardin", visibility="private", coordinator=coord, members={reader: "member"})
        author = TestClient(base_url=web_1, timeout=30)
        await author.login_as(coord)
        topic = (await author.api("POST", "/api/v1/communities/jardin/forum/topics",
                                  json={"title": "Compost", "body": "Who has a bin?"})).json()
        frames: list = []
        ready = asyncio.Event()
        listener = asyncio.create_task(_sse_frames(web_2, reader, f"topic:{topic['id']},me", frames, ready))
        await asyncio.wait_for(ready.wait(), 20)
        await asyncio.sleep(0.5)
        reply = await author.api("POST", f"/api/v1/forum/topics/{topic['id']}/posts", json={"body": "Me!"})
        assert reply.status_code == 201, reply.text
        for _ in range(100):
            if any(f.get("topic", "").startswith("topic:") for f in frames):
                break
            await asyncio.sleep(0.1)
        listener.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await listener
        await author.aclose()
        assert [f["id"] for f in frames if f["topic"] == f"topic:{topic['id']}"] == [reply.json()["id"]]

        # --- 3,000 digests, a worker killed in the middle ----------------------------------------
        now = await _seed(site, MEMBERS)
        for first in range(99, 100 + MEMBERS, 250):
            await defer(site, "digests.send_share", period="weekly", now=now.isoformat(),
                        first_id=first, last_id=first + 250)
        doomed = start_worker(folder, env, processes, "worker-1")
        survivor = start_worker(folder, env, processes, "worker-2")
        while len(box.messages) < MEMBERS // 4:
            assert time.monotonic() - started < 200, f"only {len(box.messages)} digests sent"
            await asyncio.sleep(0.05)
        doomed.send_signal(signal.SIGKILL)
        killed_at = len(box.messages)
        from tisserand.db import fetch_all

        while True:
            rows = await fetch_all("SELECT state, COUNT(*) AS n FROM digests_delivery GROUP BY state")
            states = {r["state"]: int(r["n"]) for r in rows}
            open_jobs = await fetch_all("SELECT COUNT(*) AS n FROM procrastinate_jobs WHERE task_name = "
                                        "'digests.send_share' AND status IN ('todo', 'doing')")
            if states.get("sent", 0) + states.get("sending", 0) >= MEMBERS and not open_jobs[0]["n"]:
                break
            assert time.monotonic() - started < 280, f"stuck: {states}, {len(box.messages)} mails, {open_jobs}"
            await asyncio.sleep(0.25)
        assert survivor.poll() is None
    finally:
        await site.stop()
    recipients = Counter(address for _sender, tos in box.envelopes for address in tos)
    assert max(recipients.values()) == 1, "a member got the same digest twice"
    assert killed_at < MEMBERS
    # a message interrupted in the SMTP conversation by the kill ("sending") is never re-sent:
    # better a missing digest than a duplicate; everyone else got theirs exactly once
    assert states["sent"] + states.get("sending", 0) == MEMBERS
    assert states["sent"] <= len(recipients) <= MEMBERS and states.get("sending", 0) <= 16
    sent = {r["email"] for r in await _addresses(folder, "sent")}
    assert sent <= set(recipients), "a digest recorded as sent never reached the server"
    assert time.monotonic() - started < 300  # about 2 minutes on an idle 2-core machine
