"""Members' locations: opt-in, coarse (about 1 km), removable at once, and shown only to
people who share a community with the member — unless the member keeps it to themselves
(profile visibility "only me")."""

from __future__ import annotations

from typing import Any

from tisserand.db import fetch_all
from tisserand.models import Community, Member
from tisserand.profile_visibility import shows

from .geo import Box, check_point, coarse

MAX_MEMBERS = 2000


async def set_location(member: Member, latitude: float, longitude: float, city: str = "") -> Member:
    """Save ``member``'s location, rounded to about 1 km whatever precision was given."""
    point = check_point(latitude, longitude, required=True)
    assert point is not None
    member.latitude, member.longitude = coarse(*point)
    member.city = city.strip()[:120]
    await member.save(update_fields=["latitude", "longitude", "city"])
    return member


async def remove_location(member: Member) -> Member:
    """Forget ``member``'s location entirely."""
    member.latitude = member.longitude = None
    member.city = ""
    await member.save(update_fields=["latitude", "longitude", "city"])
    return member


def location_of(member: Member) -> dict[str, Any] | None:
    """The member's own location for their account page and ``GET /api/v1/me``."""
    if member.latitude is None or member.longitude is None:
        return None
    return {"latitude": member.latitude, "longitude": member.longitude, "city": member.city}


async def members_on_map(viewer: Member | None, community: Community | None = None,
                         box: Box | None = None) -> list[dict[str, Any]]:
    """Members with a location that ``viewer`` may see: in ``community`` when the viewer is an
    active member of it, or (site map) in any community both are active members of. Nobody
    else, site admins included: a location is shared with fellow members only."""
    if viewer is None:
        return []
    where = ["mb.latitude IS NOT NULL", "mb.longitude IS NOT NULL", "mb.is_active = ?",
             "mb.is_placeholder = ?"]
    params: list[Any] = [True, False]
    if community is not None:
        where.append("mb.id IN (SELECT ms.member_id FROM membership ms WHERE ms.community_id = ? "
                     "AND ms.state = 'active' AND EXISTS (SELECT 1 FROM membership mine "
                     "WHERE mine.community_id = ms.community_id AND mine.member_id = ? "
                     "AND mine.state = 'active'))")
        params += [community.id, viewer.id]
    else:
        where.append("mb.id IN (SELECT ms.member_id FROM membership ms JOIN membership mine "
                     "ON mine.community_id = ms.community_id WHERE mine.member_id = ? "
                     "AND mine.state = 'active' AND ms.state = 'active')")
        params.append(viewer.id)
    if box is not None:
        condition, box_params = box.sql("mb.latitude", "mb.longitude")
        where.append(condition)
        params += box_params
    rows = await fetch_all(
        "SELECT mb.id, mb.username, mb.display_name, mb.latitude, mb.longitude, mb.city, mb.profile_visibility "
        f"FROM member mb WHERE {' AND '.join(where)} ORDER BY mb.username LIMIT {MAX_MEMBERS}", params)
    # Everyone here shares a community with the viewer: those who keep their location to
    # themselves ("only me") are left out.
    return [{"id": r["id"], "username": r["username"], "name": r["display_name"] or r["username"],
             "latitude": float(r["latitude"]), "longitude": float(r["longitude"]), "city": r["city"] or ""}
            for r in rows
            if shows(r["profile_visibility"], "location", is_self=r["id"] == viewer.id, fellow_member=True)]
