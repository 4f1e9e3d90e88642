"""Small helpers the plugin's pages share: the viewer, time zones, the log-in link."""

from __future__ import annotations

from urllib.parse import quote

from starlette.requests import Request

from tisserand.models import Member
from tisserand.site import current_site

from . import times


def viewer_of(request: Request) -> Member | None:
    """The logged-in member or None."""
    return getattr(request.state, "viewer", None)


def site_zone(request: Request) -> str:
    """The site's default time zone."""
    return str(current_site().settings.site.timezone)


def viewer_zone(request: Request) -> str | None:
    """The viewer's own time zone, when they set one."""
    zone = getattr(viewer_of(request), "timezone", "") or ""
    return zone if times.is_known(zone) else None


def login_url(request: Request) -> str:
    """The log-in page, coming back here."""
    return "/login?next=" + quote(request.url.path)
