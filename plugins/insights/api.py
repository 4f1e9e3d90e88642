"""The insights' JSON API (paths relative to ``/api/v1``): weekly metrics of a community for an
organization's own reporting, and the site-wide overview for administrators."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from tisserand.plugins.insights.metrics import weekly
from tisserand.plugins.insights.overview import SORTS, overview, sort_lines
from tisserand.plugins.insights.pages import require_admin
from tisserand.plugins.insights.record import day_of, utcnow
from tisserand.web.api import documented, int_param, listing, require_viewer
from tisserand.web.community import load_community


@documented(listing=True, tags=["insights"], query={"weeks": "How many weeks, 1 to 104 (default 12)"})
async def community_weekly(request: Request) -> Response:
    """Weekly metrics of a community, oldest week first (coordinators and animators).

    Each week (Monday to Sunday, in the site's time zone) has members, joined, departed, active
    members (who read or wrote), posts, replies, wiki edits, contributions, topics, answered,
    answered_share, median_answer_minutes, pending (held for review at the end of the week),
    meetup_attendance (null when no plugin reports it), by_kind and extra."""
    require_viewer(request)
    view = await load_community(request, plugin="insights")
    view.require("insights.view")
    weeks = int_param(request, "weeks", 12, low=1, high=104)
    series = await weekly(view.community.id, weeks)
    return listing([week.as_json() for week in series], None)


@documented(listing=True, tags=["insights"], query={"sort": "attention (default), name, trend, active, members, ends"})
async def communities(request: Request) -> Response:
    """Every community with its trend, members, status and end date (site administrators)."""
    require_admin(request)
    today = day_of(utcnow())
    sort = request.query_params.get("sort", "attention")
    lines = sort_lines(await overview(today), sort if sort in SORTS else "attention", today)
    return listing([line.as_json(today) for line in lines], None)


def api_routes() -> list[BaseRoute]:
    """The plugin's API routes."""
    return [
        Route("/communities/{slug}/insights/weekly", community_weekly, methods=["GET"], name="insights-weekly"),
        Route("/insights/communities", communities, methods=["GET"], name="insights-communities"),
    ]
