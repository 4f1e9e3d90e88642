"""Meet-ups on the map in the meetups JSON API: coming meet-ups near a point, and map data
(GeoJSON) for a community or the whole site."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel
from starlette.requests import Request
from starlette.responses import Response

from tisserand.errors import ValidationFailed
from tisserand.i18n import _, format_number
from tisserand.site import current_site
from tisserand.web.answers import Out
from tisserand.web.api import answer, decode_cursor, documented, encode_cursor, int_param, listing
from tisserand.web.community import load_community

from .api import _base_url
from .api_meetups import MeetupOut
from .geo import check_point, parse_bbox, parse_coordinate
from .mapdata import feature_collection, map_layers
from .present import meetup_json
from .queries import near
from .rsvp import states_for


class MeetupNearOut(MeetupOut):
    """A coming meet-up near a point, with its distance."""

    distance_km: float


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
