"""What a member has read and follows, in the forum's JSON API: read positions and watches."""

from __future__ import annotations

from pydantic import Field
from starlette.requests import Request
from starlette.responses import Response

from tisserand.errors import Forbidden, nothing_here
from tisserand.i18n import _
from tisserand.plugins.forums import queries, service
from tisserand.plugins.forums.api import Body, _view_for
from tisserand.plugins.forums.text import TOPIC
from tisserand.plugins.forums.views import can_see_row
from tisserand.web.answers import Out
from tisserand.web.api import answer, documented, read_json, require_viewer
from tisserand.web.community import load_community


class ReadIn(Body):
    """How far the member has read: a post number (the whole topic when absent)."""

    number: int | None = Field(None, ge=1, le=2**31)


class WatchIn(Body):
    """Follow (``on: true``) or stop following; ``category`` (a slug) narrows a forum watch."""

    on: bool
    category: str | None = Field(None, max_length=64)


class TopicWatchIn(Body):
    """Follow every reply of a topic (``on: true``), or stop."""

    on: bool


class ReadOut(Out):
    """Where the member stands in a topic."""

    topic: int
    last_read: int
    unread: int


class WatchOut(Out):
    """What is followed now."""

    watching: bool
    category: str | None = None
    topic: int | None = None


@documented(tags=["forums"], answer=ReadOut)
async def mark_read(request: Request) -> Response:
    """Mark a topic read up to post ``number`` (all of it when absent), as opening its last page
    does; the read position never moves back. Members of the community only."""
    topic_id = request.path_params["topic_id"]
    view = await _view_for(request, topic_id, (TOPIC,))
    require_viewer(request)
    data = await read_json(request, ReadIn)
    header = await queries.topic_header(view, topic_id)
    if header is None or not can_see_row(view, header):
        raise nothing_here()
    if not view.is_member:
        raise Forbidden(_("Only the members of this community keep track of what they have read."))
    highest = int(header["post_seq"] or 1)
    number = min(data.number or highest, highest)
    assert view.viewer is not None
    await service.mark_read(view.viewer.id, topic_id, number)
    last_read = max(number, int(header["last_read_number"] or 0))
    return answer({"topic": topic_id, "last_read": last_read, "unread": max(0, highest - last_read)})


@documented(tags=["forums"], answer=WatchOut)
async def watch_forum(request: Request) -> Response:
    """Be told (or stop being told) of new topics in the forum, or in one ``category``, as the
    forum's *Follow* button does: ``{on, category?}``."""
    require_viewer(request)
    view = await load_community(request, plugin="forums")
    data = await read_json(request, WatchIn)
    category = await service.find_category(view, data.category)
    await service.watch_forum(view, category, data.on)
    return answer({"watching": data.on, "category": category.slug if category else None})


@documented(tags=["forums"], answer=WatchOut)
async def watch_topic(request: Request) -> Response:
    """Be told (or stop being told) of every reply in a topic: ``{on}``."""
    topic_id = request.path_params["topic_id"]
    view = await _view_for(request, topic_id, (TOPIC,))
    require_viewer(request)
    data = await read_json(request, TopicWatchIn)
    await service.watch_topic(view, topic_id, data.on)
    return answer({"watching": data.on, "topic": topic_id})
