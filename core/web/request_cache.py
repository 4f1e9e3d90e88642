"""Reads shared by everything that answers one reading request (GET, HEAD).

A community page asks for the viewer's membership in its own code and in each plugin's panel;
:class:`ReadCacheMiddleware` makes :func:`tisserand.permissions.membership_of` (and so
``community_view`` and ``can``) read the row once per such request. Requests that may write
(POST, PUT, PATCH, DELETE) are not memoized: joining or leaving must read what it wrote.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tisserand.permissions import forget_memberships, remember_memberships

if TYPE_CHECKING:
    from starlette.types import ASGIApp, Receive, Scope, Send

READING = frozenset({"GET", "HEAD"})


class ReadCacheMiddleware:
    """Memoize memberships for the length of a GET or HEAD request."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("method") not in READING:
            await self.app(scope, receive, send)
            return
        token = remember_memberships()
        try:
            await self.app(scope, receive, send)
        finally:
            forget_memberships(token)
