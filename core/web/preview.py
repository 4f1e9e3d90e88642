"""Markdown previews ("how will my post look?"): rate-limited, size-bounded, rendered off the
event loop. Every plugin's preview (forms and API) goes through :func:`preview_html`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tisserand.errors import RateLimited, TooLarge
from tisserand.i18n import _

if TYPE_CHECKING:
    from starlette.requests import Request

__all__ = ["preview_html"]

PREVIEWS_PER_MINUTE = 30


async def preview_html(request: Request, body: str, env: dict[str, Any] | None = None) -> str:
    """The sanitized HTML of ``body`` as it would be saved. 413 above the site's text limit
    (``[site] max_body_chars``), 429 (with ``Retry-After``) beyond 30 previews a minute per
    member (or address, for visitors)."""
    from tisserand.site import current_site
    from tisserand.web.api import viewer
    from tisserand.web.pages.common import client_ip

    site = current_site()
    limit = site.settings.site.max_body_chars
    if len(body) > limit:
        raise TooLarge(_("The text is too long: {size} characters, the limit is {limit}.",
                         size=len(body), limit=limit), fields={"body": "too long"})
    member = viewer(request)
    who = f"m{member.id}" if member is not None else f"ip{client_ip(request)}"
    wait = await site.ratelimiter.hit(f"preview:{who}", PREVIEWS_PER_MINUTE, 60)
    if wait is not None:
        raise RateLimited(_("Too many previews: wait {seconds} seconds.", seconds=wait), retry_after=wait)
    html, _env = await site.markdown.render_async(body, env)
    return html
