"""The panel on a community's home page: the current season, its objectives, the days left,
and a link to the legacy (for a community without seasons, the usual case, one plain query
now and then; three with seasons; one more for the viewer's rights when not already read)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from markupsafe import Markup

from tisserand.permissions import can
from tisserand.plugins.archive.lifecycle import (
    current_season,
    days_until,
    has_seasons,
    next_season,
    seasons_of,
    today,
)
from tisserand.site import current_site
from tisserand.web.templates import render_template

if TYPE_CHECKING:
    from starlette.requests import Request

    from tisserand.models import Community, Member


async def home_panel(community: Community, viewer: Member | None, request: Request) -> Markup | None:
    """The panel's HTML, or None when there is nothing to say to this viewer."""
    site = current_site()
    on = today(site)
    # Most communities have no season, which is remembered a while (lifecycle.has_seasons);
    # the seasons and objectives are read only when there are some.
    seasons = await seasons_of(community) if await has_seasons(community) else []
    may_plan = not community.is_archived and await can(viewer, "archive.lifecycle.edit", community)
    if not community.is_archived and not seasons and community.ends_on is None and not may_plan:
        return None
    current = current_season(seasons, on)
    html = render_template("archive/panel.html", {
        "community": community, "current": current, "upcoming": None if current else next_season(seasons, on),
        "season_days_left": days_until(current.season.ends_on, on) if current else None,
        "days_left": days_until(community.ends_on, on), "may_plan": may_plan,
        "has_plan": bool(seasons) or community.ends_on is not None,
    })
    return Markup(html)
