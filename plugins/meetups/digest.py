"""The meetups plugin's part of a member's digest: coming meet-ups (near them first when they
shared a location) and achievements pinned during the period."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from tisserand.db import fetch_all
from tisserand.digest import DigestItem, DigestSection
from tisserand.i18n import _, format_number
from tisserand.models import Membership
from tisserand.site import current_site
from tisserand.visibility import can_read_community

from .geo import haversine_km
from .present import place_line, series_label
from .queries import upcoming_for_digest
from .times import format_start, viewer_zone

if TYPE_CHECKING:
    from tisserand.models import Community, Member

HORIZON = timedelta(days=30)


async def sections(member: Member, community: Community, since: datetime, until: datetime) -> list[DigestSection]:
    """Sections for ``member`` in ``community`` (nothing when they may not read it)."""
    membership = await Membership.get_or_none(member_id=member.id, community_id=community.id)
    if not can_read_community(member, community, membership):
        return []
    site = current_site()
    settings = site.plugin_settings("meetups")
    out: list[DigestSection] = []
    rows = await upcoming_for_digest(community, until, until + HORIZON)
    located = member.latitude is not None and member.longitude is not None
    items: list[tuple[float, DigestItem]] = []
    for row in rows:
        distance = None
        if located and row["latitude"] is not None:
            distance = haversine_km(member.latitude, member.longitude, row["latitude"], row["longitude"])  # type: ignore[arg-type]
            if distance > settings.digest_radius_km and not row["online"]:
                continue
        zone = viewer_zone(member, row["timezone"])
        details = [format_start(row["starts_at"], zone)]
        series = series_label(row)
        if series:
            details.append(series)
        where = place_line(row) or (_("online") if row["online"] else "")
        if where:
            details.append(where)
        if distance is not None:
            details.append(_("{km} km from you", km=format_number(round(distance))))
        items.append((distance if distance is not None else float("inf") if located else 0.0,
                      DigestItem(row["title"], site.url(f"/c/{community.slug}/meetups/{row['id']}"),
                                 " · ".join(details),
                                 # Announced before the period: a reminder, not news.
                                 news=since <= row["created_at"] < until)))
    if items:
        if located:
            items.sort(key=lambda pair: pair[0])
        title = _("Coming meet-ups near you") if located else _("Coming meet-ups")
        out.append(DigestSection(title, [item for _d, item in items[:10]], order=40, plugin="meetups"))
    pinned = await fetch_all(
        "SELECT p.id, p.city, c.title FROM meetups_place p JOIN content c ON c.id = p.id "
        "WHERE p.community_id = ? AND c.status = 'published' AND c.created_at >= ? AND c.created_at < ? "
        "ORDER BY c.created_at DESC LIMIT 10", [community.id, since, until])
    if pinned:
        out.append(DigestSection(_("New remarkable achievements"), [
            DigestItem(r["title"], site.url(f"/c/{community.slug}/achievements/{r['id']}"), r["city"] or "")
            for r in pinned], order=45, plugin="meetups"))
    return out
