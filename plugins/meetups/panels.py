"""The "next meet-ups" panel on a community's home page."""

from __future__ import annotations

from typing import TYPE_CHECKING

from markupsafe import Markup

from tisserand.web.templates import render_template

from .present import present
from .queries import community_meetups
from .times import is_known

if TYPE_CHECKING:
    from starlette.requests import Request

    from tisserand.models import Community, Member


async def home_panel(community: Community, viewer: Member | None, request: Request) -> Markup | None:
    """The next three meet-ups, or nothing when none is planned."""
    rows = await community_meetups(community, viewer, limit=3, series_once=True)
    if not rows:
        return None
    zone = getattr(viewer, "timezone", "") or ""
    items = [present(r, community.slug, zone if is_known(zone) else None) for r in rows]
    html = render_template("meetups/panel.html", {"items": items, "community": community})
    return Markup(html)
