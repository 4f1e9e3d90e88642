"""Meet-ups in the meetups JSON API: organise one or a series, list, read, change and cancel
(one date, the following ones or the whole series)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import Field
from starlette.requests import Request
from starlette.responses import Response

from tisserand.errors import ValidationFailed
from tisserand.i18n import _
from tisserand.models import Member
from tisserand.web.answers import Out
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
from tisserand.web.community import load_community
from tisserand.web.params import Id

from .access import Found, load_item
from .api import Strict, _base_url
from .models import RsvpState
from .present import iso_in_zone, meetup_json, row_dict
from .queries import as_datetime, community_meetups
from .rsvp import states_for
from .service import MEETUP, cancel_series, check_scope, clean_meetup, create_meetups, update_series
from .webutil import site_zone


class RepeatIn(Strict):
    every: Literal["week", "month"]
    count: int = Field(ge=1, le=52)


class MeetupIn(Strict):
    title: str
    body: str = ""
    starts_at: str
    ends_at: str
    timezone: str
    venue: str = ""
    address: str = ""
    city: str = ""
    place_id: Id | None = None
    latitude: float | None = None
    longitude: float | None = None
    online_url: str = ""
    capacity: int | None = Field(None, ge=0, le=1_000_000)
    repeat: RepeatIn | None = None


class CancelIn(Strict):
    reason: str = ""
    scope: Literal["this", "following", "all"] | None = None


class MeetupPatch(Strict):
    """The fields to change (the others keep their values) and which dates of a series."""

    title: str | None = None
    body: str | None = None
    starts_at: str | None = None
    ends_at: str | None = None
    timezone: str | None = None
    venue: str | None = None
    address: str | None = None
    city: str | None = None
    place_id: Id | None = None
    latitude: float | None = None
    longitude: float | None = None
    online_url: str | None = None
    capacity: int | None = Field(None, ge=0, le=1_000_000)
    scope: Literal["this", "following", "all"] | None = None


class MeetupOut(Out):
    """A meet-up in a list: times in its zone (ISO 8601 with offset), place, seats and the
    viewer's RSVP state. A series listed once carries ``series_dates_left``; the online link
    only reaches attendees and organisers; ``distance_km`` is for the meet-ups near a point."""

    id: int
    kind: str
    community: str
    title: str
    url: str
    starts_at: datetime
    ends_at: datetime
    timezone: str
    venue: str
    address: str
    city: str
    latitude: float | None
    longitude: float | None
    online: bool
    capacity: int | None
    going_count: int
    waitlist_count: int
    maybe_count: int
    cancelled: bool
    series_id: int | None
    repeat_every: str | None = Field(description="week, month, or null outside a series")
    viewer_state: str | None = Field(description="going, waitlisted, maybe, declined, or null")
    series_dates_left: int | None = None
    online_url: str | None = None
    distance_km: float | None = None


class MeetupDetailOut(MeetupOut):
    """One meet-up with its content fields (Markdown ``body``, rendered ``html``)."""

    body: str
    html: str
    status: str
    author: str | None
    created_at: datetime
    updated_at: datetime


class MeetupCreatedOut(MeetupDetailOut):
    """A new meet-up; for a series, its first date and the ids of every date in ``series``."""

    series: list[int] | None = None


class MeetupChangedOut(MeetupDetailOut):
    """A changed or cancelled meet-up and the ids of the dates of its series that changed."""

    changed: list[int]


async def _meetup_answer(request: Request, found: Found) -> dict[str, Any]:
    content, meetup = found.content, found.meetup
    viewer = found.view.viewer
    state = (await states_for(viewer, [meetup.id])).get(meetup.id)
    show_online = state == RsvpState.GOING.value or found.can_manage
    author = await Member.get_or_none(id=content.author_id)
    return meetup_json(row_dict(meetup, content.title), slug=found.view.community.slug,
                       base_url=_base_url(request), viewer_state=state,
                       online_url=meetup.online_url if show_online else None,
                       content={"body": content.body, "html": content.html, "status": str(content.status),
                                "author": author.username if author else None,
                                "created_at": content.created_at, "updated_at": content.updated_at})


@documented(tags=["meetups"], status=201, answer=MeetupCreatedOut)
async def create_meetup(request: Request) -> Response:
    """Organise a meet-up (or a weekly or monthly series with ``repeat``)."""
    require_viewer(request)
    view = await load_community(request, plugin="meetups")
    view.require("meetups.meetup.create")
    body = await read_json(request, MeetupIn)
    raw = body.model_dump(exclude={"repeat"})
    if body.repeat is not None:
        raw.update(repeat_every=body.repeat.every, repeat_count=body.repeat.count)
    data = await clean_meetup(raw, pick_largest=True, default_timezone=site_zone(request))
    created = await create_meetups(view.community, view.viewer, data)  # type: ignore[arg-type]
    found = await load_item(request, created[0].id, MEETUP)
    result = await _meetup_answer(request, found)
    if len(created) > 1:
        result["series"] = [c.id for c in created]
    return answer(result, status_code=201)


@documented(tags=["meetups"], listing=True, answer=MeetupOut,
            query={"past": "1 for past meet-ups, latest first", "occurrences": "1 to list every date of a series",
                   "cursor": "the previous page's next", "limit": "1 to 200"})
async def list_meetups(request: Request) -> Response:
    """Coming meet-ups of a community, soonest first (``?past=1`` for past ones, latest first).
    A series is one item, its next date, with ``series_dates_left``; ``?occurrences=1`` lists
    every date."""
    view = await load_community(request, plugin="meetups")
    past = request.query_params.get("past") in ("1", "true")
    limit = int_param(request, "limit", 50, high=200)
    cursor = decode_cursor(request.query_params.get("cursor"))
    after = None
    if cursor:
        try:
            moment = as_datetime(cursor[0])
            if moment is None:
                raise ValueError("not a time")
            after = (moment, int(cursor[1]))
        except (ValueError, IndexError, TypeError):
            raise ValidationFailed(_("This page link is broken: start again from the first page."),
                                   fields={"cursor": "invalid"}) from None
    every_date = request.query_params.get("occurrences") in ("1", "true")
    rows = await community_meetups(view.community, view.viewer, past=past, limit=limit + 1, after=after,
                                   series_once=not every_date)
    states = await states_for(view.viewer, [r["id"] for r in rows])
    base = _base_url(request)
    items = [meetup_json(r, slug=view.community.slug, base_url=base, viewer_state=states.get(r["id"]))
             for r in rows[:limit]]
    next_cursor = encode_cursor(rows[limit - 1]["starts_at"], rows[limit - 1]["id"]) if len(rows) > limit else None
    return listing(items, next_cursor)


@documented(tags=["meetups"], answer=MeetupDetailOut)
async def get_meetup(request: Request) -> Response:
    """One meet-up, with the viewer's RSVP state (and the online link for attendees)."""
    found = await load_item(request, request.path_params["id"], MEETUP)
    return answer(await _meetup_answer(request, found))


@documented(body=CancelIn, query={"scope": "this (default), following or all: which dates of a series"},
            tags=["meetups"], answer=MeetupChangedOut)
async def cancel(request: Request) -> Response:
    """Cancel a meet-up (organiser, animators, coordinators): it stays visible as cancelled.
    ``scope`` (body or query) says which dates of a series: ``this`` (default), ``following``
    or ``all``; ``changed`` lists the ids of the dates cancelled."""
    require_viewer(request)
    found = await load_item(request, request.path_params["id"], MEETUP)
    if not found.can_manage:
        found.view.require("meetups.meetup.manage")
    body = await read_json(request, CancelIn)
    scope = check_scope(body.scope or request.query_params.get("scope"))
    done = await cancel_series(found.content, found.meetup, found.view.viewer,  # type: ignore[arg-type]
                               body.reason, scope)
    found.row = next((m for m in done if m.id == found.meetup.id), found.meetup)
    result = await _meetup_answer(request, found)
    result["changed"] = [m.id for m in done]
    return answer(result)


def _stored(found: Found) -> dict[str, Any]:
    """The meet-up's current fields, in the shape the API takes."""
    content, meetup = found.content, found.meetup
    zone = meetup.timezone
    return {"title": content.title, "body": content.body, "timezone": zone,
            "starts_at": iso_in_zone(meetup.starts_at, zone), "ends_at": iso_in_zone(meetup.ends_at, zone),
            "venue": meetup.venue, "address": meetup.address, "city": meetup.city,
            "latitude": meetup.latitude, "longitude": meetup.longitude,
            "online_url": meetup.online_url, "capacity": meetup.capacity}


@documented(body=MeetupPatch, query={"scope": "this (default), following or all: which dates of a series"},
            tags=["meetups"], answer=MeetupChangedOut)
async def edit_meetup(request: Request) -> Response:
    """Change a meet-up (organiser, animators, coordinators): only the fields given change.
    ``scope`` (in the body or the query) says which dates of a series: ``this`` (default),
    ``following`` or ``all``."""
    require_viewer(request)
    found = await load_item(request, request.path_params["id"], MEETUP)
    if not found.can_manage:
        found.view.require("meetups.meetup.manage")
    body = await read_json(request, MeetupPatch)
    given = body.model_dump(exclude_unset=True)
    scope = check_scope(given.pop("scope", None) or request.query_params.get("scope"))
    raw = {**_stored(found), **given}
    if "city" in given and not {"latitude", "longitude", "place_id"} & set(given):
        raw["latitude"] = raw["longitude"] = None  # a new city: look it up again
    data = await clean_meetup(raw, pick_largest=True, default_timezone=found.meetup.timezone, allow_past=True)
    saved = await update_series(found.content, found.meetup, found.view.viewer, data, scope)  # type: ignore[arg-type]
    found = await load_item(request, found.content.id, MEETUP)
    result = await _meetup_answer(request, found)
    result["changed"] = [c.id for c in saved]
    return answer(result)
