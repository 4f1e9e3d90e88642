"""The panel on a community's home page: the current season, its objectives, the days left,
and a link to the legacy (one plain query for a community without seasons, the usual case;
three with seasons; one more for the viewer's rights when not already read)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from markupsafe import Markup

from tisserand.db import fetch_all
from tisserand.permissions import can
from tisserand.plugins.archive.lifecycle import current_season, days_until, next_season, seasons_of, today
from tisserand.site import current_site
from tisserand.web.templates import render_template

if TYPE_CHECKING:
    from starlette.requests import Request

    from tisserand.models import Community, Member


async def home_panel(community: Community, viewer: Member | None, request: Request) -> Markup | None:
    """The panel's HTML, or None when there is nothing to say to this viewer."""
    site = current_site()
    on = today(site)
    # Most communities have no season: a plain query says so (the ORM's query cost the page
    # more than the rest of the panel); the seasons and objectives are read only when there are some.
    has_seasons = await fetch_all("SELECT id FROM archive_season WHERE community_id = ? LIMIT 1", [community.id])
    seasons = await seasons_of(community) if has_seasons else []
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
