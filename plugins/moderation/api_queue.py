"""Flags, the review queue and decisions in the moderation JSON API: flag an item, list what
waits for review, approve, hide, delete, restore or edit it."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal

from pydantic import Field

from tisserand.plugins.moderation import actions, flags
from tisserand.plugins.moderation import queue as review_queue
from tisserand.plugins.moderation.access import content_place
from tisserand.plugins.moderation.serialize import content_json, flag_json, queue_item_json
from tisserand.site import current_site
from tisserand.web.answers import ContentOut, Out
from tisserand.web.api import (
    answer,
    decode_cursor,
    documented,
    encode_cursor,
    int_param,
    listing,
    read_json,
    require_viewer,
)

if TYPE_CHECKING:
    from starlette.requests import Request
    from starlette.responses import Response
from tisserand.plugins.moderation.api import _Body, _id, _staff_place


class FlagOut(Out):
    """A flag as its author sees it, with the item's status after it."""

    id: int
    content: int
    reason: str
    note: str
    created_at: datetime
    content_status: str


class QueueContentOut(Out):
    """The item under review."""

    id: int
    kind: str
    community: str
    title: str
    body: str
    html: str
    status: str
    status_reason: str | None
    url: str | None
    created_at: datetime


class QueueTopicOut(Out):
    """The item the reviewed one belongs to (a reply's topic)."""

    id: int
    kind: str
    title: str
    url: str | None


class QueueItemOut(Out):
    """An entry of the review queue: the item, its ``topic`` and absolute ``link``, why it is
    there, its score and flags, and its author's history."""

    content: QueueContentOut
    topic: QueueTopicOut | None
    link: str | None
    cause: str = Field(description="held or flagged")
    reason: str | None
    queued_at: datetime
    score: float
    score_reasons: list[dict[str, Any]]
    flag_weight: float
    flags: list[dict[str, Any]]
    author: dict[str, Any] | None


class ModeratedContentOut(ContentOut):
    """A content item after a decision, with ``status_reason``."""

    status_reason: str | None


class FlagIn(_Body):
    """A flag: a reason, and a note (required for "other")."""

    reason: Literal["spam", "troll", "abuse", "off_topic", "other"]
    note: str = Field("", max_length=1000)


class ActionIn(_Body):
    """A moderator's decision on a content item (``edit`` needs ``body``)."""

    action: Literal["approve", "hide", "delete", "restore", "edit"]
    reason: str = Field("", max_length=500)
    title: str | None = Field(None, max_length=300)
    body: str | None = None


@documented(tags=["moderation"], status=201, answer=FlagOut)
async def flag_content(request: Request) -> Response:
    """Flag a content item for the moderators (one flag per member per item)."""
    viewer = require_viewer(request)
    data = await read_json(request, FlagIn)
    content, where = await content_place(_id(request, "id"), viewer)
    flag = await flags.add(current_site(), content, where, data.reason, data.note)
    await content.refresh_from_db(fields=["status"])
    return answer(flag_json(flag, content), status_code=201)


@documented(tags=["moderation"], listing=True, answer=QueueItemOut,
            query={"show": "all, held or flagged", "cursor": "the previous page's next", "limit": "1 to 100"})
async def queue(request: Request) -> Response:
    """Held and flagged content of a community, oldest first (animators, coordinators)."""
    where = await _staff_place(request)
    show = request.query_params.get("show", "all")
    if show not in review_queue.FILTERS:
        show = "all"
    cursor = decode_cursor(request.query_params.get("cursor"), int)
    after = int(cursor[0]) if cursor else None
    limit = int_param(request, "limit", review_queue.PAGE, low=1, high=100)
    items, next_id = await review_queue.items(current_site(), where.community, show=show, after=after, limit=limit)
    return listing([queue_item_json(item, where.community) for item in items],
                   encode_cursor(next_id) if next_id else None)


@documented(tags=["moderation"], answer=ModeratedContentOut)
async def moderate(request: Request) -> Response:
    """Approve, hide, delete, restore or edit a content item (animators, coordinators)."""
    viewer = require_viewer(request)
    data = await read_json(request, ActionIn)
    content, where = await content_place(_id(request, "id"), viewer)
    content = await actions.moderate(current_site(), content, where, data.action, data.reason,
                                     title=data.title, body=data.body)
    return answer(await content_json(content, where.community))
