"""Static files: the theme chain's ``static/`` folders (nearest theme first) and each plugin's."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING

from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import PathLike, StaticFiles

if TYPE_CHECKING:
    from tisserand.site import Site
    from tisserand.web.templates import Theme


class LayeredStaticFiles(StaticFiles):
    """Serves the first match among several folders: an instance or child theme overrides
    a file of its parent by using the same name."""

    def __init__(self, folders: list[Path]) -> None:
        self._folders = [f for f in folders if f.is_dir()]
        super().__init__(directory=None, packages=None, check_dir=False)

    def get_directories(self, directory: PathLike | None = None,
                        packages: list[str | tuple[str, str]] | None = None) -> list[PathLike]:
        """The folders, in lookup order."""
        return list(self._folders)


def static_routes(site: Site, themes: list[Theme]) -> list[BaseRoute]:
    """``/static/theme/…`` for the themes and ``/static/plugins/<name>/…`` for plugins."""
    folders = [site.settings.path("static"), *[t.static for t in themes]]
    routes: list[BaseRoute] = [
        Mount("/static/theme", LayeredStaticFiles(folders), name="static"),
        Route("/favicon.ico", _favicon(folders), methods=["GET", "HEAD"]),
    ]
    for name, plugin_folders in site.plugins.folders("static"):  # static/ by convention, or the hook's
        routes.append(Mount(f"/static/plugins/{name}",
                            LayeredStaticFiles(plugin_folders), name=f"static-{name}"))
    return routes


def _favicon(folders: list[Path]) -> Callable[[Request], Awaitable[Response]]:
    """``/favicon.ico`` (asked for by browsers and feed readers whatever the page says): the
    nearest theme's ``favicon.ico``."""

    async def favicon(request: Request) -> Response:
        for folder in folders:
            if (folder / "favicon.ico").is_file():
                return FileResponse(folder / "favicon.ico", media_type="image/x-icon",
                                    headers={"Cache-Control": "public, max-age=86400"})
        return Response(status_code=404)

    return favicon
