"""Live events over SSE, served by a real uvicorn: what a viewer may see and nothing else,
Last-Event-ID replays, heartbeats, bounded connections; fan-out through PostgreSQL
LISTEN/NOTIFY on PostgreSQL, in-process on SQLite."""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket
from typing import Any

import httpx
import pytest
import uvicorn

from tisserand.events import publish
from tisserand.notify import notify
from tisserand.testing.client import TestClient
from tisserand.web.app import create_app


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.asynccontextmanager
async def served(site):
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(site, run_scheduler=False), host="127.0.0.1", port=port,
                                           log_level="warning", lifespan="off"))
    task = asyncio.create_task(server.serve())
    while not server.started:
        if task.done():  # it could not bind or start: say so instead of waiting forever
            raise RuntimeError(f"uvicorn did not start on port {port}: {task.exception()!r}")
        await asyncio.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        server.force_exit = True
        await asyncio.wait_for(task, 5)


class Listener:
    """An SSE client collecting frames in the background."""

    def __init__(self, client: httpx.AsyncClient, topics: str, last_id: int | None = None) -> None:
        self.client, self.topics, self.last_id = client, topics, last_id
        self.frames: list[dict[str, Any]] = []
        self.pings = 0
        self.status: int | None = None
        self.ready = asyncio.Event()

    async def run(self) -> None:
        headers = {"Last-Event-ID": str(self.last_id)} if self.last_id else {}
        async with self.client.stream("GET", f"/api/v1/events?topics={self.topics}", headers=headers) as response:
            self.status = response.status_code
            self.ready.set()
            if response.status_code != 200:
                return
            frame: dict[str, Any] = {}
            async for line in response.aiter_lines():
                if line.startswith(": ping"):
                    self.pings += 1
                elif line.startswith("id: "):
                    frame["id"] = int(line[4:])
                elif line.startswith("event: "):
                    frame["event"] = line[7:]
                elif line.startswith("data: "):
                    frame["data"] = json.loads(line[6:])
                elif line == "" and frame:
                    self.frames.append(frame)
                    frame = {}

    async def __aenter__(self) -> Listener:
        self.task = asyncio.create_task(self.run())
        await asyncio.wait_for(self.ready.wait(), 10)
        await asyncio.sleep(0.2)  # subscribed (and LISTENing on PostgreSQL)
        return self

    async def __aexit__(self, *exc: Any) -> None:
        self.task.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await self.task

    async def wait_for(self, count: int, timeout: float = 5) -> None:
        deadline = asyncio.get_running_loop().time() + timeout
        while len(self.frames) < count and asyncio.get_running_loop().time() < deadline:
            await asyncio.sleep(0.05)


async def _site(site_factory, **events):
    return await site_factory(enabled=["forums"], config={"events": {"heartbeat": 0.3, **events}})


async def _client(url: str, member=None) -> TestClient:
    client = TestClient(base_url=url, timeout=10)
    if member is not None:
        await client.login_as(member)
    return client


async def test_a_reply_reaches_open_pages_of_those_who_may_see_it(site_factory):
    from tisserand.testing.factory import Factory

    site = await _site(site_factory)
    people = Factory(site)
    coord, member, outsider = await people.member("coord"), await people.member("bea"), await people.member("out")
    await people.community(slug="cercle", visibility="private", coordinator=coord, members={member: "member"})
    async with served(site) as url:
        author = await _client(url, coord)
        topic = (await author.api("POST", "/api/v1/communities/cercle/forum/topics",
                                  json={"title": "Compost", "body": "Who has a bin?"})).json()
        reader, stranger, anonymous = await _client(url, member), await _client(url, outsider), await _client(url)
        async with Listener(reader, f"topic:{topic['id']}") as seen, \
                Listener(stranger, f"topic:{topic['id']}") as hidden, \
                Listener(anonymous, f"topic:{topic['id']}") as anon:
            reply = await author.api("POST", f"/api/v1/forum/topics/{topic['id']}/posts", json={"body": "Me!"})
            assert reply.status_code == 201
            await seen.wait_for(1)
            await asyncio.sleep(0.7)  # long enough for heartbeats, and for a leak to show
        for client in (author, reader, stranger, anonymous):
            await client.aclose()
    assert [(f["event"], f["data"]["id"], f["data"]["author"]) for f in seen.frames] == [
        ("forum.reply", reply.json()["id"], "coord")]
    assert hidden.frames == [] and anon.frames == []
    assert hidden.pings >= 1  # the heartbeat keeps the connection alive


async def test_the_bell_count_and_last_event_id_replay(site_factory):
    from tisserand.testing.factory import Factory

    site = await _site(site_factory)
    people = Factory(site)
    bea, other = await people.member("bea"), await people.member("other")
    async with served(site) as url:
        client = await _client(url, bea)
        async with Listener(client, "me") as bell:
            await notify(bea, "test", "One", site=site)
            await notify(other, "test", "Not for bea", site=site)
            await notify(bea, "test", "Two", site=site)
            await bell.wait_for(2)
        assert [f["data"]["unread"] for f in bell.frames] == [1, 2]
        # a page that lost its connection after the first event gets the second on return
        async with Listener(client, "me", last_id=bell.frames[0]["id"]) as back:
            await back.wait_for(1)
        assert [f["data"]["unread"] for f in back.frames] == [2]
        anonymous = await _client(url)
        refused = await anonymous.get("/api/v1/events?topics=me")
        bad = await client.get("/api/v1/events?topics=" + ",".join(f"t{i}" for i in range(30)))
        odd = await client.get("/api/v1/events?topics=<script>")
        await client.aclose()
        await anonymous.aclose()
    assert refused.status_code == 401
    assert bad.status_code == 400 and "at most" in bad.json()["error"]["message"]
    assert odd.status_code == 400


async def test_connections_per_process_are_bounded(site_factory):
    site = await _site(site_factory, max_connections=1)
    async with served(site) as url:
        first, second = await _client(url), await _client(url)
        async with Listener(first, "topic:1") as one:
            full = await second.get("/api/v1/events?topics=topic:1")
            assert one.status == 200
        await asyncio.sleep(0.3)
        async with Listener(second, "topic:1") as again:
            assert again.status == 200
        await first.aclose()
        await second.aclose()
    assert full.status_code == 503 and full.headers["retry-after"] == "10"


async def test_events_published_elsewhere_reach_this_process(site_factory, database_flavour):
    """On PostgreSQL the fan-out goes through NOTIFY: an event published by another process
    (a plain SQL NOTIFY here, as a worker would send) reaches this process's clients."""
    if database_flavour != "postgres":
        pytest.skip("LISTEN/NOTIFY is PostgreSQL's")
    import asyncpg

    from tisserand.jobs.pg import conninfo
    from tisserand.models import LiveEvent

    site = await _site(site_factory)
    async with served(site) as url:
        client = await _client(url)
        async with Listener(client, "topic:9") as listener:
            row = await LiveEvent.create(topic="topic:9", kind="test.ping", data={"n": 1})
            other = await asyncpg.connect(conninfo(site.settings.database_url))
            await other.execute("SELECT pg_notify('tisserand_events', $1)", str(row.id))
            await other.close()
            await listener.wait_for(1)
        await client.aclose()
    assert [(f["event"], f["data"]["n"]) for f in listener.frames] == [("test.ping", 1)]
    assert await publish(site, "topic:9", "test.ping", {"n": 2}) > row.id


async def test_pages_ask_for_live_updates_without_inline_script(site_factory):
    """The topic page and the bell work without JavaScript; live.js (a static file, no inline
    script) enhances them from data attributes."""
    from tisserand.testing.factory import Factory

    site = await _site(site_factory)
    people = Factory(site)
    coord = await people.member("coord")
    await people.community(slug="jardin", coordinator=coord)
    async with TestClient.for_app(create_app(site, run_scheduler=False)) as client:
        await client.login_as(coord)
        topic = (await client.api("POST", "/api/v1/communities/jardin/forum/topics",
                                  json={"title": "Seeds", "body": "Swap?"})).json()
        page = await client.get(topic.get("url") or f"/c/jardin/forum/t/{topic['id']}")
        script = await client.get("/static/theme/live.js")
    assert page.status_code == 200
    assert f'data-live-topics="topic:{topic["id"]}"' in page.text and "data-live-me" in page.text
    assert '<script src="/static/theme/live.js" defer></script>' in page.text
    assert script.status_code == 200 and "EventSource" in script.text


async def test_review_queue_and_seats_reach_only_who_may_see_them(site_factory):
    from datetime import UTC, datetime, timedelta

    from tisserand.models import Community
    from tisserand.testing.factory import Factory

    site = await site_factory(enabled=["forums", "moderation", "meetups"], config={"events": {"heartbeat": 0.3}})
    people = Factory(site)
    coord, bea = await people.member("coord"), await people.member("bea")
    await people.community(slug="jardin", coordinator=coord, members={bea: "member"})
    community = await Community.get(slug="jardin")
    async with served(site) as url:
        staff, member = await _client(url, coord), await _client(url, bea)
        start = datetime.now(UTC) + timedelta(days=3)
        created = await staff.api("POST", "/api/v1/communities/jardin/meetups", json={
            "title": "Planting", "body": "Bring gloves", "starts_at": start.strftime("%Y-%m-%dT%H:%M:%S"),
            "ends_at": (start + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M:%S"), "timezone": "Europe/Paris",
            "capacity": 5, "online_url": "https://visio.example.org/p"})
        assert created.status_code == 201, created.text
        meetup = created.json()
        topics = f"queue:{community.id},meetup:{meetup['id']}"
        async with Listener(staff, topics) as moderator, Listener(member, topics) as reader:
            await publish(site, f"queue:{community.id}", "moderation.queue", {"id": 1}, community=community,
                          permission="moderation.queue.view")
            answer = await member.api("POST", f"/api/v1/meetups/{meetup['id']}/rsvp", json={"answer": "yes"})
            assert answer.status_code == 200, answer.text
            await moderator.wait_for(2)
            await reader.wait_for(1)
        await staff.aclose()
        await member.aclose()
    assert sorted(f["event"] for f in moderator.frames) == ["meetups.seats", "moderation.queue"]
    assert [(f["event"], f["data"]["going"], f["data"]["seats_left"]) for f in reader.frames] == [
        ("meetups.seats", 1, 4)]
