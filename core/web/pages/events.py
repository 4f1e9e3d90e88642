"""``GET /api/v1/events?topics=a,b``: live events as Server-Sent Events.

Topics: ``me`` (the viewer's own events: the bell's unread count), ``topic:<id>`` (new replies
in a forum topic), ``queue:<community id>`` (the review queue), ``meetup:<id>`` (seats left), and
any topic a plugin publishes. ``Last-Event-ID`` (or ``?last_event_id=``) replays what was
missed from a short backlog; a comment line every ``[events] heartbeat`` seconds keeps proxies
from closing an idle connection; each process accepts at most ``[events] max_connections``.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import BaseRoute, Route

from tisserand.errors import TisserandError
from tisserand.events import TOPIC, Event, backlog, visible_to
from tisserand.i18n import _
from tisserand.web.api import documented
from tisserand.web.pages.common import site_of, viewer_of

MAX_TOPICS = 20


def _topics(request: Request) -> frozenset[str]:
    raw = [t.strip() for t in request.query_params.get("topics", "").split(",") if t.strip()]
    if not raw:
        raise TisserandError(_("Name at least one topic, for example topics=me,topic:12"), status_code=400)
    if len(raw) > MAX_TOPICS:
        raise TisserandError(_("Too many topics (at most {count}).").format(count=MAX_TOPICS), status_code=400)
    viewer = viewer_of(request)
    topics = set()
    for topic in raw:
        if not TOPIC.match(topic):
            raise TisserandError(_("This topic name is not valid."), status_code=400)
        if topic == "me":
            if viewer is None:
                raise TisserandError(_("Log in to follow your own notifications."), status_code=401)
            topic = f"member:{viewer.id}"
        topics.add(topic)
    return frozenset(topics)


def _last_id(request: Request) -> int:
    value = request.headers.get("last-event-id") or request.query_params.get("last_event_id") or "0"
    return int(value) if value.isdigit() and len(value) < 19 else 0


def _frame(event: Event) -> bytes:
    data = json.dumps({"topic": event.topic, **event.data}, ensure_ascii=False, separators=(",", ":"))
    return f"id: {event.id}\nevent: {event.kind}\ndata: {data}\n\n".encode()


@documented(tags=["events"], media="text/event-stream",
            query={"topics": "comma-separated topics: community:{id}, queue:{id}, member:{id}…"})
async def events(request: Request) -> Response:
    """Live events the viewer may see, as ``text/event-stream``."""
    site = site_of(request)
    topics = _topics(request)
    bus = site.events
    if bus.full:
        return JSONResponse({"error": {"code": "unavailable", "message": _("Too many live connections: try again in a moment.")}},
                            status_code=503, headers={"Retry-After": "10"})
    viewer = viewer_of(request)
    after = _last_id(request)
    heartbeat = site.settings.events.heartbeat

    async def stream() -> AsyncIterator[bytes]:
        async with bus.subscribe(topics) as sub:
            yield b"retry: 3000\n\n"
            sent = after
            if after:
                for missed in await backlog(topics, after):
                    if await visible_to(missed, viewer):
                        yield _frame(missed)
                    sent = max(sent, missed.id)
            while True:
                event: Any = None
                with contextlib.suppress(TimeoutError):
                    event = await asyncio.wait_for(sub.queue.get(), heartbeat)
                if event is None:
                    yield b": ping\n\n"
                    continue
                if event.id <= sent:
                    continue
                sent = event.id
                if await visible_to(event, viewer):
                    yield _frame(event)

    return StreamingResponse(stream(), media_type="text/event-stream",
                             headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"})


def routes() -> list[BaseRoute]:
    """API routes (relative to ``/api/v1``)."""
    return [Route("/events", events, methods=["GET"], name="events")]
