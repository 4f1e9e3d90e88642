"""The site's router: Starlette's, which tries the routes in order until one matches, with the
routes that cannot match the path's shape left out beforehand.

A site has about two hundred routes (the core's pages, every plugin's, the API mount); Starlette
tries each one's regular expression in turn, which cost a community page more CPU than its
template's header. Here a route is a candidate for a path only if it can match the path's
first segment and its number of segments: ``/c/{slug}`` for ``/c/jardins`` but not for
``/c/jardins/forum`` nor ``/u/ines``. A route whose first segment holds a parameter may match
any first segment; a mount, a route with a ``{…:path}`` parameter and any route without a path
may match any number of segments (no other parameter matches a ``/``). The candidates keep
their order, so the first match, the 405 of a partial match and the slash redirect are what
Starlette's own loop gives.
"""

from __future__ import annotations

from collections.abc import MutableMapping
from typing import Any

from starlette.datastructures import URL
from starlette.responses import RedirectResponse
from starlette.routing import BaseRoute, Match, Mount, Router, get_route_path
from starlette.types import Receive, Scope, Send

#: The key of routes that may match any first segment.
_ANY = object()


def first_segment(path: str) -> str:
    """``c`` for ``/c/communaute-0/forum``, ``""`` for ``/``."""
    return path[1:].split("/", 1)[0] if path.startswith("/") else ""


def _route_key(route: BaseRoute) -> tuple[Any, Any]:
    """The first segment a route matches and its number of segments (``_ANY``: any)."""
    path = getattr(route, "path", None)
    if not isinstance(path, str) or not path.startswith("/"):
        return _ANY, _ANY
    segment = first_segment(path)
    first = _ANY if "{" in segment else segment
    if isinstance(route, Mount) or ":path}" in path:
        return first, _ANY
    return first, path.count("/")


class FirstSegmentRouter(Router):
    """A :class:`starlette.routing.Router` that tries only the routes able to match the path's
    first segment (same answers as Starlette's, fewer regular expressions per request)."""

    _built_for: tuple[int, int] | None = None
    _keys: list[tuple[tuple[Any, Any], BaseRoute]]
    _literal: set[str]
    _deepest: int
    _groups: dict[tuple[Any, int], list[BaseRoute]]

    def _candidates(self, path: str) -> list[BaseRoute]:
        if self._built_for != (id(self.routes), len(self.routes)):  # routes added since: regroup
            self._group()
        first = first_segment(path)
        # Bounded keys: a first segment no route names, or more segments than any route has,
        # share one group each (a request cannot grow the table).
        key = (first if first in self._literal else _ANY, min(path.count("/"), self._deepest + 1))
        found = self._groups.get(key)
        if found is None:
            found = self._groups[key] = [
                route for (route_first, count), route in self._keys
                if (route_first is _ANY or route_first == key[0]) and (count is _ANY or count == key[1])]
        return found

    def _group(self) -> None:
        self._keys = [(_route_key(route), route) for route in self.routes]
        self._literal = {first for (first, _count), _route in self._keys if first is not _ANY}
        self._deepest = max([count for (_first, count), _route in self._keys if count is not _ANY], default=0)
        self._groups = {}
        self._built_for = (id(self.routes), len(self.routes))

    def route_for(self, scope: Scope) -> tuple[BaseRoute | None, Match, MutableMapping[str, Any]]:
        """The route Starlette's loop would pick for ``scope``: the first full match, else the
        first partial one (a 405), else ``(None, Match.NONE, {})``."""
        partial: tuple[BaseRoute | None, Match, MutableMapping[str, Any]] = (None, Match.NONE, {})
        for route in self._candidates(get_route_path(scope)):
            match, child_scope = route.matches(scope)
            if match is Match.FULL:
                return route, match, child_scope
            if match is Match.PARTIAL and partial[0] is None:
                partial = (route, match, child_scope)
        return partial

    async def app(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Starlette's ``Router.app`` over the candidate routes."""
        if scope["type"] == "lifespan":
            await super().app(scope, receive, send)
            return
        if "router" not in scope:
            scope["router"] = self
        route, _match, child_scope = self.route_for(scope)
        if route is not None:
            scope["route"] = route
            scope.update(child_scope)
            await route.handle(scope, receive, send)
            return
        route_path = get_route_path(scope)
        if scope["type"] == "http" and self.redirect_slashes and route_path != "/":
            redirect_scope = dict(scope)
            if route_path.endswith("/"):
                redirect_scope["path"] = redirect_scope["path"].rstrip("/")
            else:
                redirect_scope["path"] = redirect_scope["path"] + "/"
            if self.route_for(redirect_scope)[0] is not None:
                await RedirectResponse(url=str(URL(scope=redirect_scope)))(scope, receive, send)
                return
        await self.default(scope, receive, send)
