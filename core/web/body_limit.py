"""The request body limit, by kind of request: ``[site] max_request_bytes`` for forms and JSON,
``[uploads] max_bytes`` (plus room for the form around the file) for ``multipart/form-data``,
which may carry a file. Above it the answer is 413 with a message, in JSON under ``/api/``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from starlette.datastructures import Headers
from starlette.responses import JSONResponse, PlainTextResponse, Response

from tisserand import i18n

if TYPE_CHECKING:
    from starlette.types import ASGIApp, Message, Receive, Scope, Send

    from tisserand.site import Site

#: Room for the other fields and the multipart framing around an uploaded file.
MULTIPART_OVERHEAD = 1_000_000


def body_limit(site: Site, headers: Headers) -> int:
    """The largest body accepted for a request with these headers."""
    limit = site.settings.site.max_request_bytes
    if headers.get("content-type", "").startswith("multipart/form-data"):
        limit = max(limit, site.settings.uploads.max_bytes + MULTIPART_OVERHEAD)
    return limit


def too_large(path: str) -> Response:
    """The 413 answer, for people (text) or scripts (JSON under ``/api/``)."""
    message = i18n.gettext("The request is too large.")
    if path.startswith("/api/"):
        return JSONResponse({"error": {"code": "too_large", "message": message}}, status_code=413)
    return PlainTextResponse(message, status_code=413)


class _TooLarge(Exception):
    pass


class BodyLimitMiddleware:
    """Refuses bodies above :func:`body_limit`: at once when ``Content-Length`` says so,
    otherwise as soon as the bytes received pass it."""

    def __init__(self, app: ASGIApp, site: Site) -> None:
        self.app = app
        self.site = site

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        limit = body_limit(self.site, headers)
        declared = headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            await too_large(scope["path"])(scope, receive, send)
            return
        received = 0
        started = False

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise _TooLarge
            return message

        async def watched_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, watched_send)
        except _TooLarge:
            if started:
                raise
            await too_large(scope["path"])(scope, receive, send)
