"""The Starlette application factory: core pages, plugin routes, the API, static files.

``create_app(site)`` builds the route list first (core + every plugin's hooks), then the app,
as Starlette 1.x wants. The lifespan starts the site (database) and, on the in-process queue, the jobs.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Any

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.routing import BaseRoute, Mount, Route

from tisserand import __version__
from tisserand.later import AfterResponseMiddleware
from tisserand.web.api import answer, openapi_document
from tisserand.web.body_limit import BodyLimitMiddleware
from tisserand.web.errors import EXCEPTION_HANDLERS
from tisserand.web.headers import SecurityHeadersMiddleware
from tisserand.web.ops import OpsMiddleware
from tisserand.web.request_cache import ReadCacheMiddleware
from tisserand.web.routing import FirstSegmentRouter
from tisserand.web.security import SecurityMiddleware
from tisserand.web.static import static_routes
from tisserand.web.templates import Templates

if TYPE_CHECKING:
    from starlette.requests import Request
    from starlette.responses import Response

    from tisserand.site import Site


def _plugin_routes(site: Site, hook_name: str) -> list[BaseRoute]:
    routes: list[BaseRoute] = []
    for _name, declared in site.plugins.per_plugin(hook_name):
        routes.extend(declared)
    return routes


def api_routes(site: Site) -> list[BaseRoute]:
    """Core and plugin API routes (paths relative to ``/api/v1``)."""
    from tisserand.web.pages import core_api_routes

    return [*core_api_routes(), *_plugin_routes(site, "tisserand_api_routes")]


def _exception_handlers(site: Site) -> dict[Any, Any]:
    """The error answers; asyncpg's input errors only on a PostgreSQL site."""
    if not site.settings.database_url.startswith(("postgres://", "postgresql://")):
        return EXCEPTION_HANDLERS
    from tisserand.web.dberrors import postgres_errors
    from tisserand.web.errors import handle_low_level_error

    return {**EXCEPTION_HANDLERS, **{cls: handle_low_level_error for cls in postgres_errors()}}


def create_app(site: Site, *, run_scheduler: bool = True) -> Starlette:
    """The ASGI application of ``site``."""
    from tisserand.web.pages import core_page_routes

    templates = Templates(site)
    v1_routes = api_routes(site)
    document = openapi_document(v1_routes, f"{site.settings.site.name} API", __version__)

    async def openapi(request: Request) -> Response:
        """The OpenAPI description of this API."""
        return answer(document)

    v1_routes.append(Route("/openapi.json", openapi, methods=["GET"], name="openapi"))
    routes: list[BaseRoute] = [
        *static_routes(site, templates.themes),
        Mount("/api/v1", routes=v1_routes, name="api"),
        *_plugin_routes(site, "tisserand_routes"),
        *core_page_routes(),
    ]

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        owns_site = not site.started
        if owns_site:
            await site.start()
        if run_scheduler:
            site.jobs.start()  # the in-process queue; nothing on procrastinate (workers run jobs)
        try:
            yield
        finally:
            if run_scheduler:
                await site.jobs.stop()
            if owns_site:
                await site.stop()

    app = Starlette(
        routes=routes,
        middleware=[Middleware(BodyLimitMiddleware, site=site), Middleware(SecurityHeadersMiddleware),
                    Middleware(OpsMiddleware, site=site),
                    Middleware(SecurityMiddleware, site=site), Middleware(AfterResponseMiddleware),
                    Middleware(ReadCacheMiddleware)],
        exception_handlers=_exception_handlers(site),
        lifespan=lifespan,
    )
    app.router = FirstSegmentRouter(routes, lifespan=lifespan)  # same routes, fewer tried per request
    app.state.site = site
    app.state.templates = templates
    site.extra["templates"] = templates
    return app
