"""Hooks of the outside test plugin: a page, a permission, a setting, a nav tab, a counter."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from tisserand import hookimpl
from tisserand.nav import NavItem
from tisserand.permissions import Permission

TISSERAND_REQUIRES = ">=0.1"
SAVED: list[int] = []


class OutsideSettings(BaseModel):
    """``[plugins.outside]``."""

    model_config = ConfigDict(extra="forbid")
    greeting: str = "bonjour"


async def hello(request: Request) -> Response:
    """A page under /c/{slug}/outside."""
    from tisserand.site import current_site
    from tisserand.web.community import load_community

    view = await load_community(request, plugin="outside")
    greeting = current_site().plugin_settings("outside").greeting
    return PlainTextResponse(f"{greeting} {view.community.slug}")


@hookimpl
def tisserand_settings() -> type[BaseModel]:
    return OutsideSettings


@hookimpl
def tisserand_routes() -> list[Route]:
    return [Route("/c/{slug}/outside", hello)]


@hookimpl
def tisserand_permissions() -> list[Permission]:
    return [Permission("outside.wave", "Wave at everyone", roles={"coordinator", "member"})]


@hookimpl
def community_nav(community, viewer) -> list[NavItem]:
    return [NavItem("Outside", f"/c/{community.slug}/outside", 500, "outside")]


@hookimpl
def content_saved(content, created) -> None:
    if created:
        SAVED.append(content.id)
