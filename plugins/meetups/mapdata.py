"""What a map shows, once for the HTML lists and the GeoJSON the map script loads:
coming meet-ups, achievements, and members' coarse locations (fellow members only)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tisserand.site import current_site

from .geo import Box
from .location import members_on_map
from .present import present
from .queries import map_achievements, map_meetups
from .webutil import viewer_zone

if TYPE_CHECKING:
    from starlette.requests import Request

    from tisserand.models import Community, Member


async def map_layers(request: Request, viewer: Member | None, *, community: Community | None = None,
                     box: Box | None = None) -> dict[str, Any]:
    """Three queries whatever the number of items: meet-ups, achievements, members."""
    limit = current_site().plugin_settings("meetups").map_max_features
    zone = viewer_zone(request)
    meetups = await map_meetups(viewer, community=community, box=box, limit=limit)
    achievements = await map_achievements(viewer, community=community, box=box, limit=limit)
    members = await members_on_map(viewer, community=community, box=box)
    slug = community.slug if community is not None else None
    return {
        "meetups": [present(r, slug or r["slug"], zone) | {"community_name": r["community_name"]}
                    for r in meetups],
        "achievements": [a | {"url": f"/c/{a['slug']}/achievements/{a['id']}"} for a in achievements],
        "members": members,
        "truncated": len(meetups) >= limit or len(achievements) >= limit,
        "show_members": viewer is not None,
    }


def _feature(kind: str, lat: float, lon: float, properties: dict[str, Any]) -> dict[str, Any]:
    return {"type": "Feature", "geometry": {"type": "Point", "coordinates": [lon, lat]},
            "properties": {"kind": kind, **properties}}


def feature_collection(layers: dict[str, Any]) -> dict[str, Any]:
    """The layers as a GeoJSON FeatureCollection (``kind`` says meetup, achievement or member)."""
    features = [
        _feature("meetup", m["latitude"], m["longitude"], {
            "id": m["id"], "title": m["title"], "url": m["url"], "when": m["when"],
            "starts_at": m["starts_at"].isoformat(), "place": m["place"], "seats": m["seats"],
            "community": m["community_name"]})
        for m in layers["meetups"]
    ]
    features += [
        _feature("achievement", a["latitude"], a["longitude"], {
            "id": a["id"], "title": a["title"], "url": a["url"], "place": a["city"],
            "community": a["community_name"]})
        for a in layers["achievements"]
    ]
    features += [
        _feature("member", m["latitude"], m["longitude"], {
            "id": m["id"], "title": m["name"], "username": m["username"], "place": m["city"]})
        for m in layers["members"]
    ]
    return {"type": "FeatureCollection", "features": features, "truncated": layers["truncated"]}
