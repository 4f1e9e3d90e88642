"""JSON API of the meetups plugin (paths relative to ``/api/v1``), as listed in API.md."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from tisserand.errors import Unauthorized, ValidationFailed
from tisserand.i18n import _, format_number
from tisserand.models import Content, Member
from tisserand.site import current_site
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
from .gazetteer import gazetteer
from .geo import check_point, parse_bbox, parse_coordinate
from .location import location_of, remove_location, set_location
from .mapdata import feature_collection, map_layers
from .models import Rsvp, RsvpState
from .places import resolve_place
from .present import iso_in_zone, meetup_json, row_dict
from .queries import as_datetime, community_meetups, near
from .rsvp import respond, states_for
from .service import (
    ACHIEVEMENT,
    MEETUP,
    cancel_series,
    check_scope,
    clean_achievement,
    clean_meetup,
    create_achievement,
    create_meetups,
    update_series,
)
from .webutil import site_zone

ATTENDEE_ORDER = (RsvpState.GOING, RsvpState.WAITLISTED, RsvpState.MAYBE)


class Strict(BaseModel):
    """Unknown fields are errors, so that a typo does not pass silently."""

    model_config = ConfigDict(extra="forbid")


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


class RsvpIn(Strict):
    answer: Literal["yes", "no", "maybe"]


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


class AchievementIn(Strict):
    title: str
    body: str = ""
    city: str = ""
    place_id: Id | None = None
    latitude: float | None = None
    longitude: float | None = None
    achieved_on: str = ""
    link: str = ""


class LocationIn(Strict):
    city: str = ""
    place_id: Id | None = None
    latitude: float | None = None
    longitude: float | None = None


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


class MeetupNearOut(MeetupOut):
    """A coming meet-up near a point, with its distance."""

    distance_km: float


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


class RsvpOut(Out):
    """The viewer's state after answering."""

    state: str = Field(description="going, waitlisted, maybe or declined")
    meetup: int


class AttendeeOut(Out):
    """Someone who answered."""

    username: str
    name: str
    state: str = Field(description="going, waitlisted or maybe")


class AchievementOut(Out):
    """An achievement pinned to a place."""

    id: int
    kind: str
    community: str
    title: str
    body: str
    html: str
    status: str
    latitude: float
    longitude: float
    city: str
    url: str


class PointOut(BaseModel):
    """A GeoJSON point: ``[longitude, latitude]``."""

    type: Literal["Point"]
    coordinates: list[float]


class FeatureOut(BaseModel):
    """A GeoJSON feature; ``properties.kind`` says meetup, achievement or member."""

    type: Literal["Feature"]
    geometry: PointOut
    properties: dict[str, Any]


class MapOut(Out):
    """Map data as a GeoJSON FeatureCollection; ``truncated`` when some items were left out."""

    type: Literal["FeatureCollection"]
    features: list[FeatureOut]
    truncated: bool


class LocationShape(BaseModel):
    """A shared location, rounded to about 1 km."""

    latitude: float
    longitude: float
    city: str


class LocationOut(Out):
    """My shared location."""

    location: LocationShape | None


class PlaceOut(Out):
    """A place of the gazetteer."""

    id: int
    name: str
    label: str
    latitude: float
    longitude: float
    country: str
    region: str
    population: int
    timezone: str


def _base_url(request: Request) -> str:
    return str(current_site().settings.site.base_url)


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


@documented(tags=["meetups"], answer=RsvpOut)
async def rsvp(request: Request) -> Response:
    """Answer ``yes``, ``maybe`` or ``no``: the state says going, waitlisted, maybe or declined."""
    viewer = require_viewer(request)
    found = await load_item(request, request.path_params["id"], MEETUP)
    found.view.require("meetups.rsvp")
    body = await read_json(request, RsvpIn)
    state = await respond(found.content.id, viewer, body.answer)
    return answer({"state": state.value, "meetup": found.content.id})


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


@documented(tags=["meetups"], listing=True, answer=AttendeeOut)
async def attendees(request: Request) -> Response:
    """Who answered: ``going`` (in order of arrival), ``waitlisted`` (in queue order), ``maybe``."""
    found = await load_item(request, request.path_params["id"], MEETUP)
    if not found.view.can("meetups.attendees.view"):
        if found.view.viewer is None:
            raise Unauthorized(_("Log in to see who attends."))
        found.view.require("meetups.attendees.view")
    rows = await Rsvp.filter(meetup_id=found.content.id, state__in=list(ATTENDEE_ORDER)).select_related(
        "member")
    rows.sort(key=lambda r: (ATTENDEE_ORDER.index(r.state), r.waitlisted_at or r.created_at, r.id))
    return listing([{"username": r.member.username, "name": r.member.name, "state": r.state.value}
                    for r in rows], None)


@documented(tags=["meetups"], listing=True, answer=MeetupNearOut,
            query={"lat": "latitude", "lon": "longitude", "km": "distance", "cursor": "the previous page's next",
                   "limit": "1 to 200"})
async def near_me(request: Request) -> Response:
    """Coming meet-ups within ``km`` of ``lat``/``lon`` (or of my saved location), nearest first."""
    viewer = getattr(request.state, "viewer", None)
    settings = current_site().plugin_settings("meetups")
    params = request.query_params
    point = check_point(parse_coordinate(params.get("lat"), "lat"), parse_coordinate(params.get("lon"), "lon"),
                        lat_name="lat", lon_name="lon")
    if point is None:
        if viewer is None or viewer.latitude is None or viewer.longitude is None:
            raise ValidationFailed(_("Give lat and lon, or save your location first."),
                                   fields={"lat": _("Required."), "lon": _("Required.")})
        point = (viewer.latitude, viewer.longitude)
    km = parse_coordinate(params.get("km"), "km") or settings.near_default_km
    if not 0 < km <= settings.near_max_km:
        raise ValidationFailed(_("km must be between 0 and {max}.", max=format_number(settings.near_max_km)),
                               fields={"km": _("Out of range.")})
    limit = int_param(request, "limit", 50, high=200)
    cursor = decode_cursor(params.get("cursor"))
    after = None
    if cursor:
        try:
            after = (float(cursor[0]), int(cursor[1]))
        except (ValueError, IndexError, TypeError):
            raise ValidationFailed(_("This page link is broken: start again from the first page."),
                                   fields={"cursor": "invalid"}) from None
    rows = await near(viewer, point[0], point[1], km, limit=limit + 1, after=after)
    states = await states_for(viewer, [r["id"] for r in rows])
    base = _base_url(request)
    items = [meetup_json(r, slug=r["slug"], base_url=base, viewer_state=states.get(r["id"])) for r in rows[:limit]]
    next_cursor = (encode_cursor(rows[limit - 1]["distance_km"], rows[limit - 1]["id"])
                   if len(rows) > limit else None)
    return listing(items, next_cursor)


@documented(tags=["meetups"], status=201, answer=AchievementOut)
async def create_achievement_api(request: Request) -> Response:
    """Pin a remarkable achievement to a place (a city, a ``place_id`` or coordinates)."""
    require_viewer(request)
    view = await load_community(request, plugin="meetups")
    view.require("meetups.achievement.create")
    body = await read_json(request, AchievementIn)
    data = await clean_achievement(body.model_dump(), pick_largest=True)
    content = await create_achievement(view.community, view.viewer, data)  # type: ignore[arg-type]
    return answer(_achievement_json(request, content, view.community.slug, data.latitude, data.longitude,
                                    data.city), status_code=201)


def _achievement_json(request: Request, content: Content, slug: str, latitude: float, longitude: float,
                      city: str) -> dict[str, Any]:
    return {"id": content.id, "kind": ACHIEVEMENT, "community": slug, "title": content.title,
            "body": content.body, "html": content.html, "status": str(content.status),
            "latitude": latitude, "longitude": longitude, "city": city,
            "url": f"{_base_url(request)}/c/{slug}/achievements/{content.id}"}


@documented(tags=["meetups"], answer=MapOut, query={"bbox": "west,south,east,north"})
async def community_map(request: Request) -> Response:
    """A community's map data as GeoJSON (``?bbox=west,south,east,north``)."""
    view = await load_community(request, plugin="meetups")
    layers = await map_layers(request, view.viewer, community=view.community,
                              box=parse_bbox(request.query_params.get("bbox")))
    return answer(feature_collection(layers))


@documented(tags=["meetups"], answer=MapOut, query={"bbox": "west,south,east,north"})
async def site_map(request: Request) -> Response:
    """The site map's data as GeoJSON: what the viewer may see in every community."""
    layers = await map_layers(request, getattr(request.state, "viewer", None),
                              box=parse_bbox(request.query_params.get("bbox")))
    return answer(feature_collection(layers))


@documented(tags=["meetups"], answer=LocationOut)
async def put_location(request: Request) -> Response:
    """Share my location (rounded to about 1 km): ``{latitude, longitude}``, ``{place_id}`` or ``{city}``."""
    viewer = require_viewer(request)
    body = await read_json(request, LocationIn)
    place = await resolve_place(body.model_dump(), pick_largest=True, required=True)
    assert place.latitude is not None and place.longitude is not None
    await set_location(viewer, place.latitude, place.longitude, place.city)
    return answer({"location": location_of(viewer)})


@documented(tags=["meetups"], status=204)
async def delete_location(request: Request) -> Response:
    """Remove my location at once."""
    viewer = require_viewer(request)
    await remove_location(viewer)
    return Response(status_code=204)


@documented(tags=["meetups"], listing=True, answer=PlaceOut, query={"q": "a place name", "limit": "1 to 50"})
async def places(request: Request) -> Response:
    """Search the offline gazetteer: ``?q=saguenay`` → places, exact names first."""
    query = request.query_params.get("q", "").strip()[:100]
    if not query:
        raise ValidationFailed(_("Give a place name in q."), fields={"q": _("Required.")})
    limit = int_param(request, "limit", 10, high=50)
    found = (await gazetteer()).search(query, limit=limit)
    return listing([c.as_dict() for c in found], None)


def routes() -> list[BaseRoute]:
    """The plugin's API routes (relative to /api/v1)."""
    return [
        Route("/communities/{slug}/meetups", create_meetup, methods=["POST"], name="meetups-api-create"),
        Route("/communities/{slug}/meetups", list_meetups, methods=["GET"], name="meetups-api-list"),
        Route("/communities/{slug}/achievements", create_achievement_api, methods=["POST"],
              name="meetups-api-achievement"),
        Route("/communities/{slug}/map", community_map, methods=["GET"], name="meetups-api-community-map"),
        Route("/map", site_map, methods=["GET"], name="meetups-api-site-map"),
        Route("/meetups/near", near_me, methods=["GET"], name="meetups-api-near"),
        Route("/meetups/{id:id}", get_meetup, methods=["GET"], name="meetups-api-get"),
        Route("/meetups/{id:id}", edit_meetup, methods=["PATCH"], name="meetups-api-edit"),
        Route("/meetups/{id:id}/rsvp", rsvp, methods=["POST"], name="meetups-api-rsvp"),
        Route("/meetups/{id:id}/cancel", cancel, methods=["POST"], name="meetups-api-cancel"),
        Route("/meetups/{id:id}/attendees", attendees, methods=["GET"], name="meetups-api-attendees"),
        Route("/me/location", put_location, methods=["PUT"], name="meetups-api-location-put"),
        Route("/me/location", delete_location, methods=["DELETE"], name="meetups-api-location-delete"),
        Route("/places", places, methods=["GET"], name="meetups-api-places"),
    ]
