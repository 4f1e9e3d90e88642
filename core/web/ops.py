"""Operations: ``/healthz`` (alive), ``/readyz`` (database, Redis, queue), ``/metrics``
(Prometheus, off by default, only from allowed addresses), request metrics, and a 503 with
``Retry-After`` on every route while the database is unreachable.

:class:`OpsMiddleware` sits outside everything else, so these answers need no database (a
liveness probe must not fail because PostgreSQL restarts) and a database failure anywhere
below becomes a calm 503 instead of a 500.
"""

from __future__ import annotations

import asyncio
import ipaddress
import json
import logging
import time
import traceback
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from starlette.types import ASGIApp, Message, Receive, Scope, Send

    from tisserand.site import Site

log = logging.getLogger("tisserand.web")
RETRY_AFTER = "5"


def database_down(exc: BaseException) -> bool:
    """This exception (or one it came from) says the database cannot be reached."""
    from tortoise.exceptions import DBConnectionError

    chain: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in chain:
        chain.append(current)
        current = current.__cause__ or current.__context__
    modules = [type(e).__module__ for e in chain]
    files = [frame.f_code.co_filename for e in chain for frame, _line in traceback.walk_tb(e.__traceback__)]
    if any(m.startswith("redis") for m in modules) or any("/redis/" in f for f in files):
        return False  # Redis away is handled where Redis is used, never as a database outage
    if not (any(m.startswith(("tortoise", "asyncpg", "aiosqlite", "sqlite3")) for m in modules)
            or any(part in f for f in files for part in ("/tortoise/", "/asyncpg/", "/aiosqlite/"))):
        return False
    for error in chain:
        if isinstance(error, DBConnectionError | ConnectionError | TimeoutError):
            return True
        if type(error).__module__.startswith("asyncpg") and type(error).__name__ in {
                "ConnectionDoesNotExistError", "CannotConnectNowError", "InterfaceError",
                "AdminShutdownError", "ConnectionFailureError", "PostgresConnectionError",
                "InternalClientError", "TooManyConnectionsError"}:
            return True
        if isinstance(error, OSError) and type(error).__module__ in {"builtins", "socket"}:
            return True
    return False


async def _send_json(send: Send, status: int, body: dict[str, Any], headers: list[tuple[bytes, bytes]]) -> None:
    payload = json.dumps(body).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"cache-control", b"no-store"),
                            (b"content-length", str(len(payload)).encode()), *headers]})
    await send({"type": "http.response.body", "body": payload})


async def _send_text(send: Send, status: int, text: str, content_type: str = "text/plain; charset=utf-8",
                     headers: list[tuple[bytes, bytes]] | None = None) -> None:
    payload = text.encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", content_type.encode()), (b"cache-control", b"no-store"),
                            (b"content-length", str(len(payload)).encode()), *(headers or [])]})
    await send({"type": "http.response.body", "body": payload})


async def readiness(site: Site) -> tuple[bool, dict[str, str]]:
    """Whether the site can serve now, with the state of each service it uses."""
    from tisserand.db import fetch_one

    states: dict[str, str] = {}
    try:
        await asyncio.wait_for(fetch_one("SELECT 1 AS ok"), 3)
        states["database"] = "ok"
    except Exception as exc:
        states["database"] = "unreachable"
        log.warning("readiness: database unreachable (%s)", type(exc).__name__)
    if site.settings.redis.url:
        # Redis away is a degraded state, not an outage: limits fall back to this process.
        states["redis"] = "ok" if await site.ratelimiter.ready() else "unreachable"
    if states["database"] == "ok":
        try:
            await asyncio.wait_for(site.jobs.ready(), 3)
            states["queue"] = "ok"
        except Exception:
            states["queue"] = "unreachable"
    else:
        states["queue"] = "unreachable"
    return states["database"] == "ok" and states["queue"] == "ok", states


def allowed(site: Site, client: tuple[str, int] | None) -> bool:
    """The client's address is in ``[metrics] allow``."""
    if client is None:
        return False
    try:
        address = ipaddress.ip_address(client[0])
    except ValueError:
        return False
    return any(address in ipaddress.ip_network(net, strict=False) for net in site.settings.metrics.allow)


def route_name(scope: Scope) -> str:
    """The route template that served the request (not the raw path: bounded label values)."""
    route = scope.get("route")
    path = getattr(route, "path", None)
    if path is None:
        return "unmatched"
    root = scope.get("root_path", "")
    return f"{root}{path}" if root and not path.startswith(root) else str(path)


class OpsMiddleware:
    """Probes, metrics and the database-outage answer (see the module docstring)."""

    def __init__(self, app: ASGIApp, site: Site) -> None:
        self.app = app
        self.site = site

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope["path"]
        if path == "/healthz":
            await _send_text(send, 200, "ok")
            return
        if path == "/readyz":
            self.site.activate()
            ready, states = await readiness(self.site)
            await _send_json(send, 200 if ready else 503, states,
                             [] if ready else [(b"retry-after", RETRY_AFTER.encode())])
            return
        if path == "/metrics":
            if not self.site.settings.metrics.enabled or not allowed(self.site, scope.get("client")):
                await _send_json(send, 404, {"error": {"code": "not_found", "message": "Not found."}}, [])
                return
            from tisserand.web.metrics import METRICS

            body, content_type = METRICS.render()
            await _send_text(send, 200, body, content_type)
            return
        await self._serve(scope, receive, send)

    async def _serve(self, scope: Scope, receive: Receive, send: Send) -> None:
        started = time.perf_counter()
        status = {"code": 500, "sent": False}

        async def send_wrapper(message: Message) -> None:
            if message["type"] == "http.response.start":
                status["code"], status["sent"] = int(message["status"]), True
            await send(message)

        try:
            await self.app(scope, receive, send_wrapper)
        except Exception as exc:
            if status["sent"] or not database_down(exc):
                raise
            status["code"] = 503
            log.warning("database unreachable: 503 for %s %s (%s)", scope.get("method"), scope["path"],
                        type(exc).__name__)
            await self._unavailable(scope, send)
        finally:
            if self.site.settings.metrics.enabled:  # prometheus_client (~12 MiB) loads only then
                from tisserand.web.metrics import METRICS

                METRICS.observe_request(route_name(scope), scope.get("method", "GET"), status["code"],
                                        time.perf_counter() - started)

    async def _unavailable(self, scope: Scope, send: Send) -> None:
        from tisserand.i18n import _

        message = _("The site is briefly unavailable. Nothing you sent was saved: try again in a moment.")
        headers = [(b"retry-after", RETRY_AFTER.encode())]
        accept = dict(scope.get("headers") or []).get(b"accept", b"").decode("latin-1")
        if scope["path"].startswith("/api/") or "application/json" in accept:
            await _send_json(send, 503, {"error": {"code": "unavailable", "message": message}}, headers)
            return
        from html import escape

        page = (f"<!doctype html><html><head><meta charset=\"utf-8\"><title>503</title></head>"
                f"<body><h1>503</h1><p>{escape(message)}</p></body></html>")
        await _send_text(send, 503, page, "text/html; charset=utf-8", headers)
