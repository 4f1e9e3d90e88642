"""Live events: what changed, pushed to open pages through ``GET /api/v1/events``.

``await publish(site, "topic:12", "forum.reply", {...}, community=c, content=post)`` stores the
event (a short backlog for ``Last-Event-ID``) and fans it out to every process: PostgreSQL
``LISTEN/NOTIFY`` on PostgreSQL, in this process on SQLite. Each event is checked, for each
viewer, against what that viewer may see when it is sent: the member it is for, the community's
visibility, the content's status and the plugins' ``content_visible``, a permission.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import json
import logging
import re
import sys
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tisserand.models import Community, Content, Member
    from tisserand.site import Site

__all__ = ["TOPIC", "Event", "Publication", "publish", "publish_many", "visible_to"]

log = logging.getLogger("tisserand.events")
CHANNEL = "tisserand_events"
#: Topic names: letters, digits, dots, dashes, underscores and one colon-separated argument.
TOPIC = re.compile(r"^[a-z][a-z0-9_.-]{0,40}(:[A-Za-z0-9_.-]{1,80})?$")
BACKLOG = timedelta(minutes=10)
BACKLOG_EVENTS = 500


@dataclass
class Event:
    """One live event as stored."""

    id: int
    topic: str
    kind: str
    data: dict[str, Any]
    community_id: int | None = None
    content_id: int | None = None
    member_id: int | None = None
    permission: str | None = None

    @classmethod
    def from_row(cls, row: Any) -> Event:
        """From a :class:`tisserand.models.LiveEvent`."""
        return cls(int(row.id), row.topic, row.kind, dict(row.data or {}), row.community_id,
                   row.content_id, row.member_id, row.permission)


@dataclass(frozen=True)
class Publication:
    """One live event to publish with others (:func:`publish_many`); the arguments of :func:`publish`."""

    topic: str
    kind: str
    data: dict[str, Any]
    community: Community | None = None
    content: Content | None = None
    member: Member | None = None
    permission: str | None = None


async def publish(site: Site, topic: str, kind: str, data: dict[str, Any], *,
                  community: Community | None = None, content: Content | None = None,
                  member: Member | None = None, permission: str | None = None) -> int:
    """Store and fan out one event; its id. ``member``: only that member receives it;
    ``permission``: only those holding it in ``community``."""
    ids = await publish_many(site, [Publication(topic, kind, data, community, content, member, permission)])
    return ids[0]


#: Events stored per statement (8 parameters each, under the drivers' cap on parameters).
PUBLISH_BATCH = 1000


async def publish_many(site: Site, events: list[Publication]) -> list[int]:
    """Store and fan out several events at once (their ids, in order): one statement on
    PostgreSQL (the rows and their ``NOTIFY``), one insert on SQLite, per
    :data:`PUBLISH_BATCH` events."""
    ids: list[int] = []
    for start in range(0, len(events), PUBLISH_BATCH):
        ids += await _publish_batch(site, events[start:start + PUBLISH_BATCH])
    return ids


async def _publish_batch(site: Site, events: list[Publication]) -> list[int]:
    if not events:
        return []
    from tisserand.db import fetch_all

    now = datetime.now(UTC)
    params: list[Any] = []
    for event in events:
        params += [event.topic, event.kind, json.dumps(event.data), getattr(event.community, "id", None),
                   getattr(event.content, "id", None), getattr(event.member, "id", None), event.permission, now]
    insert = ("INSERT INTO live_event (topic, kind, data, community_id, content_id, member_id, permission, "
              "created_at) VALUES " + ", ".join(["(?, ?, ?, ?, ?, ?, ?, ?)"] * len(events)) + " RETURNING id")
    if site.events.postgres:  # NOTIFY is delivered at commit: the listeners find the rows
        rows = await fetch_all(f"WITH stored AS ({insert}) SELECT id, pg_notify(?, CAST(id AS text)) FROM stored",
                               [*params, CHANNEL])
    else:
        rows = await fetch_all(insert, params)
    ids = sorted(int(row["id"]) for row in rows)  # numbered in the order of the rows
    if not site.events.postgres:
        for event_id, event in zip(ids, events, strict=True):
            site.events.dispatch(Event(event_id, event.topic, event.kind, dict(event.data),
                                       getattr(event.community, "id", None), getattr(event.content, "id", None),
                                       getattr(event.member, "id", None), event.permission))
    if any(event_id % 200 == 0 for event_id in ids):
        await prune(site)
    return ids


class _Checks:
    """Answers of :func:`visible_to` for recent events, shared by the connections of this
    process: a reply followed by a thousand anonymous readers is checked once, not a thousand
    times; the community and the content are loaded once per event."""

    def __init__(self, size: int = 256) -> None:
        self.size = size
        self.answers: dict[tuple[Any, ...], asyncio.Future[bool]] = {}
        self.rows: dict[tuple[Any, ...], tuple[Any, Any]] = {}

    @staticmethod
    def _key(event: Event) -> tuple[Any, ...]:
        # the whole identity, not the id alone: ids start again in a fresh database (tests)
        return (event.id, event.topic, event.kind, event.community_id, event.content_id, event.member_id,
                event.permission)

    async def rows_of(self, event: Event) -> tuple[Any, Any]:
        from tisserand.models import Community, Content

        key = self._key(event)
        if key not in self.rows:
            community = await Community.get_or_none(id=event.community_id) if event.community_id else None
            content = await Content.get_or_none(id=event.content_id) if event.content_id else None
            self.rows[key] = (community, content)
            while len(self.rows) > self.size:
                self.rows.pop(next(iter(self.rows)))
        return self.rows[key]

    async def check(self, event: Event, viewer: Member | None) -> bool:
        key = (*self._key(event), viewer.id if viewer is not None else None)
        future = self.answers.get(key)
        if future is None:
            future = asyncio.get_running_loop().create_future()
            self.answers[key] = future
            while len(self.answers) > self.size * 16:
                self.answers.pop(next(iter(self.answers)))
            try:
                future.set_result(await _visible_to(event, viewer, *await self.rows_of(event)))
            except Exception as exc:
                future.set_exception(exc)
                self.answers.pop(key, None)
        return await asyncio.shield(future)


_CHECKS = _Checks()


async def visible_to(event: Event, viewer: Member | None) -> bool:
    """May ``viewer`` receive ``event`` now? (Answers are shared for a few hundred events.)"""
    return await _CHECKS.check(event, viewer)


async def _visible_to(event: Event, viewer: Member | None, community: Any, content: Any) -> bool:
    from tisserand.models import Membership
    from tisserand.permissions import can
    from tisserand.visibility import can_read_community, can_see_content_status, plugins_allow

    if event.member_id is not None:
        return viewer is not None and viewer.id == event.member_id
    if event.community_id is None:
        return event.permission is None
    if community is None:
        return False
    membership = None
    if viewer is not None:
        membership = await Membership.get_or_none(member_id=viewer.id, community_id=community.id)
    if not can_read_community(viewer, community, membership):
        return False
    if event.permission is not None and (viewer is None or not await can(viewer, event.permission, community)):
        return False
    if event.content_id is not None:
        if content is None:
            return False
        staff = membership is not None and membership.role in ("coordinator", "animator")
        if not can_see_content_status(viewer, content, staff) or not await plugins_allow(content, viewer):
            return False
    return True


@dataclass(eq=False)
class Subscription:
    """One open connection's topics and its queue of events."""

    topics: frozenset[str]
    queue: asyncio.Queue[Event] = field(default_factory=lambda: asyncio.Queue(maxsize=100))


class EventBus:
    """Fan-out of this process: local subscribers, and PostgreSQL LISTEN when on PostgreSQL."""

    def __init__(self, site: Site, max_connections: int = 1000) -> None:
        self.site = site
        self.max_connections = max_connections
        self.subscribers: set[Subscription] = set()
        self._listener: asyncio.Task[None] | None = None
        self._listening = asyncio.Event()

    @functools.cached_property
    def postgres(self) -> bool:
        """Fan-out goes through PostgreSQL NOTIFY."""
        return self.site.settings.database_url.startswith(("postgres://", "postgresql://"))

    @property
    def full(self) -> bool:
        """No room for another connection in this process."""
        return len(self.subscribers) >= self.max_connections

    async def announce(self, event: Event) -> None:
        """Tell every process (this one included) about a stored event."""
        if self.postgres:
            from tisserand.db import execute

            await execute("SELECT pg_notify(?, ?)", [CHANNEL, str(event.id)])
        else:
            self.dispatch(event)

    def dispatch(self, event: Event) -> None:
        """Hand an event to this process's subscribers of its topic."""
        for sub in list(self.subscribers):
            if event.topic in sub.topics:
                try:
                    sub.queue.put_nowait(event)
                except asyncio.QueueFull:  # a stuck client: it will replay from Last-Event-ID
                    log.warning("live events: a slow client dropped event %s", event.id)

    @contextlib.asynccontextmanager
    async def subscribe(self, topics: frozenset[str]) -> AsyncIterator[Subscription]:
        """Register a subscription for the time of the block."""
        # counted only where metrics are on (the ops middleware loaded them with the first request)
        metrics = sys.modules.get("tisserand.web.metrics")
        gauge = metrics.METRICS.sse if metrics is not None else None

        sub = Subscription(topics)
        self.subscribers.add(sub)
        if gauge is not None:
            gauge.inc()
        if self.postgres:
            self._ensure_listener()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._listening.wait(), 5)
        try:
            yield sub
        finally:
            self.subscribers.discard(sub)
            if gauge is not None:
                gauge.dec()

    def _ensure_listener(self) -> None:
        if self._listener is None or self._listener.done():
            self._listener = asyncio.create_task(self._listen())

    async def _listen(self) -> None:
        """One LISTEN connection per process, reopened when it drops."""
        import asyncpg

        from tisserand.jobs.pg import conninfo

        pending: asyncio.Queue[int] = asyncio.Queue()
        while True:
            connection = None
            try:
                connection = await asyncpg.connect(conninfo(self.site.settings.direct_database_url))
                await connection.add_listener(CHANNEL, lambda *args: pending.put_nowait(int(args[3])))
                self._listening.set()
                while not connection.is_closed():
                    with contextlib.suppress(TimeoutError):
                        event_id = await asyncio.wait_for(pending.get(), 5)
                        await self._fetch_and_dispatch(event_id)
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                log.warning("live events: LISTEN connection lost (%s); reconnecting", type(exc).__name__)
            finally:
                self._listening.clear()
                if connection is not None:
                    with contextlib.suppress(Exception):
                        await connection.close()
            await asyncio.sleep(1)

    async def _fetch_and_dispatch(self, event_id: int) -> None:
        from tisserand.models import LiveEvent

        if not self.subscribers:
            return
        for _ in range(5):  # the notifying transaction may commit a moment later
            row = await LiveEvent.get_or_none(id=event_id)
            if row is not None:
                self.dispatch(Event.from_row(row))
                return
            await asyncio.sleep(0.05)

    async def close(self) -> None:
        """Stop listening."""
        if self._listener is not None:
            self._listener.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._listener
            self._listener = None


async def backlog(topics: frozenset[str], after: int) -> list[Event]:
    """Stored events of ``topics`` with an id above ``after``, recent ones only, oldest first."""
    from tisserand.models import LiveEvent

    since = datetime.now(UTC) - BACKLOG
    rows = await (LiveEvent.filter(id__gt=after, topic__in=list(topics), created_at__gte=since)
                  .order_by("id").limit(BACKLOG_EVENTS))
    return [Event.from_row(r) for r in rows]


async def prune(site: Site) -> None:
    """Forget events older than the backlog (a periodic job)."""
    from tisserand.models import LiveEvent

    await LiveEvent.filter(created_at__lt=datetime.now(UTC) - BACKLOG * 2).delete()
