"""The site's router picks the route Starlette's own loop picks, trying fewer of them."""

from __future__ import annotations

import re
from typing import Any

import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import BaseRoute, Match, Mount, Route, Router

from tisserand.web.app import create_app
from tisserand.web.routing import FirstSegmentRouter


def _named(name: str) -> Any:
    async def endpoint(request: Request) -> PlainTextResponse:
        return PlainTextResponse(name)
    return endpoint


ROUTES: list[BaseRoute] = [
    Route("/", _named("home")),
    Route("/c/new", _named("new community"), methods=["GET"]),
    Route("/c/{slug}", _named("community"), methods=["GET"]),
    Route("/c/{slug}/join", _named("join"), methods=["POST"]),
    Route("/{name}.json", _named("any first segment")),
    Route("/c/{slug}/forum/", _named("forum")),
    Mount("/api/v1", routes=[Route("/things", _named("api things"))]),
    Route("/c/{slug}/late", _named("late")),
    Route("/files/{rest:path}", _named("any depth")),
]


def _app() -> Starlette:
    app = Starlette(routes=ROUTES)
    app.router = FirstSegmentRouter(ROUTES)
    return app


async def test_requests_get_the_route_starlettes_loop_would_give() -> None:
    transport = httpx.ASGITransport(app=_app())
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        assert (await client.get("/")).text == "home"
        assert (await client.get("/c/new")).text == "new community"  # first in order wins
        assert (await client.get("/c/jardins")).text == "community"
        assert (await client.get("/c/jardins/late")).text == "late"
        assert (await client.get("/report.json")).text == "any first segment"
        assert (await client.get("/api/v1/things")).text == "api things"
        wrong_method = await client.get("/c/jardins/join")
        assert wrong_method.status_code == 405
        moved = await client.get("/c/jardins/forum")
        assert moved.status_code == 307 and moved.headers["location"].endswith("/c/jardins/forum/")
        assert (await client.get("/files/a/b/c.txt")).text == "any depth"
        assert (await client.get("/api/v1/things/")).status_code == 307  # the mount's slash redirect
        assert (await client.get("/nowhere/at/all")).status_code == 404
        assert (await client.get("/c/jardins/late/and/deeper")).status_code == 404


def _reference(routes: list[BaseRoute], scope: dict[str, Any]) -> BaseRoute | None:
    """Starlette's loop: the first full match, else the first partial one."""
    partial = None
    for route in routes:
        match, _child = route.matches(scope)
        if match is Match.FULL:
            return route
        if match is Match.PARTIAL and partial is None:
            partial = route
    return partial


def _sample_paths(routes: list[BaseRoute], prefix: str = "") -> list[str]:
    paths = []
    for route in routes:
        path = getattr(route, "path", "")
        if isinstance(route, Mount):
            paths += _sample_paths(list(route.routes), prefix + path)
            continue
        filled = re.sub(r"\{[^}:]+:int\}", "12", path)
        filled = re.sub(r"\{[^}]+\}", "x-1", filled)
        paths += [prefix + filled, prefix + filled + "/", prefix + filled.rstrip("/"),
                  prefix + filled.rstrip("/") + "/deeper/still", "/" + filled.strip("/").partition("/")[2]]
    return paths


async def test_every_page_of_a_site_with_every_plugin_routes_as_before(site_factory: Any) -> None:
    site = await site_factory()
    app = create_app(site, run_scheduler=False)
    router = app.router
    assert isinstance(router, FirstSegmentRouter)
    plain = Router(list(router.routes))
    paths = _sample_paths(list(router.routes))
    assert len(paths) > 300
    for path in paths:
        for method in ("GET", "POST", "DELETE"):
            scope = {"type": "http", "path": path, "method": method, "root_path": "", "headers": []}
            assert router.route_for(scope)[0] is _reference(plain.routes, scope), (method, path)


async def test_routes_added_later_are_found() -> None:
    router = FirstSegmentRouter(list(ROUTES))
    scope = {"type": "http", "path": "/added/now", "method": "GET", "root_path": "", "headers": []}
    assert router.route_for(scope)[0] is None
    router.routes.append(Route("/added/now", _named("added")))
    assert router.route_for(scope)[0] is router.routes[-1]
