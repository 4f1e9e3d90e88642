"""The insights' JSON API (paths relative to ``/api/v1``): weekly metrics of a community for an
organization's own reporting, and the site-wide overview for administrators."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from tisserand.plugins.insights.metrics import weekly
from tisserand.plugins.insights.overview import SORTS, overview, sort_lines
from tisserand.plugins.insights.record import day_of, utcnow
from tisserand.plugins.insights.routes import require_admin, send_thanks
from tisserand.web.answers import Out
from tisserand.web.api import answer, documented, int_param, listing, read_json, require_viewer
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


class ThanksIn(BaseModel):
    """Whom to thank (a member of the community)."""

    model_config = ConfigDict(extra="forbid")
    username: str = Field(min_length=1, max_length=254)


class ThanksOut(Out):
    """The member who received the thanks."""

    username: str
    name: str


@documented(tags=["insights"], status=201, answer=ThanksOut)
async def thanks(request: Request) -> Response:
    """Thank a member for their contributions, as the insights page's button does (once a week
    per sender and member; 409 for oneself or a second time, 404 for a non-member)."""
    require_viewer(request)
    view = await load_community(request, plugin="insights")
    data = await read_json(request, ThanksIn)
    member = await send_thanks(view, data.username)
    return answer({"username": member.username, "name": member.name}, status_code=201)


def api_routes() -> list[BaseRoute]:
    """The plugin's API routes."""
    return [
        Route("/communities/{slug}/insights/weekly", community_weekly, methods=["GET"], name="insights-weekly"),
        Route("/insights/communities", communities, methods=["GET"], name="insights-communities"),
        Route("/communities/{slug}/insights/thanks", thanks, methods=["POST"], name="insights-thanks"),
    ]
