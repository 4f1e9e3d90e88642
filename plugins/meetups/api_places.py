"""Places in the meetups JSON API: the member's shared location, and the offline gazetteer."""

from __future__ import annotations

from pydantic import BaseModel
from starlette.requests import Request
from starlette.responses import Response

from tisserand.errors import ValidationFailed
from tisserand.i18n import _
from tisserand.web.answers import Out
from tisserand.web.api import answer, documented, int_param, listing, read_json, require_viewer
from tisserand.web.params import Id

from .api import Strict
from .gazetteer import gazetteer
from .location import location_of, remove_location, set_location
from .places import resolve_place


class LocationIn(Strict):
    city: str = ""
    place_id: Id | None = None
    latitude: float | None = None
    longitude: float | None = None


class LocationShape(BaseModel):
    """A shared location, rounded to about 1 km."""

    latitude: float
    longitude: float
    city: str


class LocationOut(Out):
    """My shared location."""

    location: LocationShape | None


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


@documented(tags=["meetups"], listing=True, answer=PlaceOut, query={"q": "a place name", "limit": "1 to 50"})
async def places(request: Request) -> Response:
    """Search the offline gazetteer: ``?q=saguenay`` → places, exact names first."""
    query = request.query_params.get("q", "").strip()[:100]
    if not query:
        raise ValidationFailed(_("Give a place name in q."), fields={"q": _("Required.")})
    limit = int_param(request, "limit", 10, high=50)
    found = (await gazetteer()).search(query, limit=limit)
    return listing([c.as_dict() for c in found], None)
