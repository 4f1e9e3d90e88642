"""The home feed ``/``, the language switcher and the health check."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from tisserand import i18n
from tisserand.db import fetch_all
from tisserand.web.api import documented, int_param, listing
from tisserand.web.forms import read_form
from tisserand.web.pages.common import render, safe_next, viewer_of
from tisserand.web.pages.feed import feed_filters, home_feed
from tisserand.web.security import LOCALE_COOKIE


async def my_communities(member_id: int) -> list[dict[str, object]]:
    """The viewer's communities for the side panel (one query)."""
    return await fetch_all(
        "SELECT cm.slug, cm.name, cm.visibility, cm.status, ms.role, ms.state FROM membership ms "
        "JOIN community cm ON cm.id = ms.community_id WHERE ms.member_id = ? "
        "AND ms.state IN ('active', 'invited') ORDER BY ms.state, cm.name LIMIT 100", [member_id])


async def home(request: Request) -> Response:
    """The home feed: my communities plus public content (``?scope=mine|all``,
    ``?order=activity|recent``, ``?cursor=``)."""
    viewer = viewer_of(request)
    scope, order = feed_filters(viewer, request.query_params.get("scope"), request.query_params.get("order"))
    cursor = request.query_params.get("cursor")
    items, next_cursor = await home_feed(viewer, scope, order, cursor)
    communities = await my_communities(viewer.id) if viewer is not None else []
    return await render(request, "home.html", {
        "items": items, "next_cursor": next_cursor, "scope": scope, "order": order,
        "first_page": not cursor, "my_communities": communities,
    })


@documented(listing=True, tags=["feed"], query={
    "scope": "mine or all", "order": "activity or recent",
    "cursor": "the previous page's next", "limit": "1 to 100"})
async def feed_api(request: Request) -> Response:
    """The viewer's home feed (``scope=mine|all``, ``order=activity|recent``, ``cursor``, ``limit``)."""
    viewer = viewer_of(request)
    scope, order = feed_filters(viewer, request.query_params.get("scope"), request.query_params.get("order"))
    limit = int_param(request, "limit", 20, low=1, high=100)
    items, next_cursor = await home_feed(viewer, scope, order, request.query_params.get("cursor"), limit)
    return listing([item.as_api() for item in items], next_cursor)


async def choose_language(request: Request) -> Response:
    """The footer's language switcher: remembered in a cookie, and in the account when logged in."""
    form = await read_form(request)
    language = i18n.normalize(form.get("locale")) or ""
    response = RedirectResponse(safe_next(form.get("next")), status_code=303)
    if language:
        response.set_cookie(LOCALE_COOKIE, language, max_age=365 * 86400, samesite="lax", httponly=True)
        viewer = viewer_of(request)
        if viewer is not None and viewer.locale != language:
            viewer.locale = language
            await viewer.save(update_fields=["locale"])
    return response


async def health(request: Request) -> Response:
    """Liveness probe for load balancers."""
    return PlainTextResponse("ok")


def routes() -> list[BaseRoute]:
    """HTML routes."""
    return [
        Route("/", home, name="home"),
        Route("/language", choose_language, methods=["POST"], name="language"),
        Route("/healthz", health, name="health"),
    ]


def api_routes() -> list[BaseRoute]:
    """API routes."""
    return [Route("/feed", feed_api, methods=["GET"], name="feed")]
