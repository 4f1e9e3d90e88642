"""Small helpers shared by the core's pages: rendering, the viewer, safe redirects, forms."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tisserand.errors import Forbidden, Unauthorized
from tisserand.i18n import _

if TYPE_CHECKING:
    from starlette.requests import Request
    from starlette.responses import Response

    from tisserand.models import Member
    from tisserand.site import Site


async def render(request: Request, name: str, context: dict[str, Any] | None = None,
                 status_code: int = 200) -> Response:
    """Render a site-wide page with the theme's templates."""
    return await request.app.state.templates.render(request, name, context or {},
                                                    status_code=status_code)


def site_of(request: Request) -> Site:
    """The site serving this request."""
    return request.app.state.site  # type: ignore[no-any-return]


def viewer_of(request: Request) -> Member | None:
    """The logged-in member, or None."""
    return getattr(request.state, "viewer", None)


def require_login(request: Request) -> Member:
    """The logged-in member; anonymous visitors are sent to the log-in page (401)."""
    member = viewer_of(request)
    if member is None:
        raise Unauthorized(_("Log in to continue."))
    return member


def require_admin(request: Request) -> Member:
    """A site administrator, or 401/403."""
    member = require_login(request)
    if not member.is_admin:
        raise Forbidden(_("This page is for site administrators."))
    return member


def client_ip(request: Request) -> str:
    """The visitor's address (uvicorn resolves ``X-Forwarded-For`` from trusted proxies)."""
    return request.client.host if request.client else "unknown"


def safe_next(value: str | None, default: str = "/") -> str:
    """A local path to go back to after a form, never another site."""
    if not value or not value.startswith("/") or value.startswith("//") or "\\" in value:
        return default
    if any(ord(ch) < 32 for ch in value):
        return default
    return value


def checked(form: dict[str, str], name: str) -> bool:
    """Was a checkbox ticked?"""
    return form.get(name, "") in ("on", "1", "true", "yes")
