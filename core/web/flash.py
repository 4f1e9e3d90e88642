"""One-shot messages after a redirect ("Your changes are saved."), kept in a signed cookie.

After a successful POST a page answers ``return flash_redirect("/c/jardins", _("Saved."))``;
the next page rendered through the site's templates shows the message once (``flash`` in the
template context) and clears the cookie. Nothing is stored on the server, so it works for
anonymous visitors and behind several processes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from itsdangerous import BadSignature, URLSafeSerializer
from starlette.responses import RedirectResponse

if TYPE_CHECKING:
    from starlette.requests import Request
    from starlette.responses import Response

__all__ = ["flash_redirect", "set_flash"]

FLASH_COOKIE = "tisserand_flash"
KINDS = ("info", "success", "warning", "error")


def _serializer() -> URLSafeSerializer:
    from tisserand.site import current_site

    return URLSafeSerializer(current_site().settings.site.secret_key, salt="tisserand.flash")


def set_flash(response: Response, message: str, kind: str = "success") -> Response:
    """Attach a one-shot message to ``response`` (shown on the next page)."""
    value = _serializer().dumps([kind if kind in KINDS else "info", message[:500]])
    response.set_cookie(FLASH_COOKIE, value, max_age=120, httponly=True, samesite="lax", path="/")
    return response


def flash_redirect(url: str, message: str = "", kind: str = "success", status_code: int = 303) -> Response:
    """A redirect (303 by default, as after a POST) carrying an optional one-shot message."""
    response = RedirectResponse(url, status_code=status_code)
    if message:
        set_flash(response, message, kind)
    return response


def read_flash(request: Request) -> tuple[str, str] | None:
    """The pending ``(kind, message)`` for this request, or None (forged cookies are ignored)."""
    raw = request.cookies.get(FLASH_COOKIE)
    if not raw:
        return None
    try:
        kind, message = _serializer().loads(raw)
    except (BadSignature, ValueError, TypeError):
        return None
    return str(kind), str(message)
