"""The home page and the health check."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import BaseRoute, Route


async def home(request: Request) -> Response:
    """The home feed."""
    return await request.app.state.templates.render(request, "home.html", {})


async def health(request: Request) -> Response:
    """Liveness probe for load balancers."""
    return PlainTextResponse("ok")


def routes() -> list[BaseRoute]:
    """HTML routes."""
    return [Route("/", home, name="home"), Route("/healthz", health, name="health")]


def api_routes() -> list[BaseRoute]:
    """API routes."""
    return []
