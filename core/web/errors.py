"""Friendly error pages for people, the JSON error format for the API, never a 500 for bad input."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response

from tisserand.errors import PermissionRefused, TisserandError
from tisserand.i18n import N_, _

log = logging.getLogger("tisserand.web")

TITLES = {  # translated when shown
    400: N_("Bad request"), 401: N_("Please log in"), 403: N_("Not allowed"), 404: N_("Page not found"),
    405: N_("Not allowed"), 409: N_("Conflict"), 413: N_("Too large"), 422: N_("Please check your input"),
    429: N_("Slow down"), 500: N_("Something went wrong"),
}
CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
         405: "method_not_allowed", 409: "conflict", 413: "too_large", 422: "invalid",
         429: "rate_limited", 500: "server_error"}


def wants_json(request: Request) -> bool:
    """API paths and clients that ask for JSON get JSON errors."""
    path = request.url.path
    return (path.startswith("/api/") or path.endswith((".json", ".geojson"))
            or "application/json" in request.headers.get("accept", ""))


async def error_page(request: Request, status: int, message: str, headers: Mapping[str, str] | None = None,
                     extra: dict[str, Any] | None = None) -> Response:
    """An HTML error page in the site's theme (plain text if templates are not ready)."""
    templates = getattr(request.app.state, "templates", None) if "app" in request.scope else None
    if templates is None:
        return PlainTextResponse(message, status_code=status, headers=headers)
    return await templates.render(request, "error.html", {
        "status": status, "title": _(TITLES.get(status, "Error")), "message": message, **(extra or {}),
    }, status_code=status, headers=dict(headers or {}))


def login_redirect(request: Request) -> Response:
    """Send a visitor to the log-in page, coming back here afterwards."""
    from urllib.parse import quote

    from tisserand.web.flash import flash_redirect

    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return flash_redirect(f"/login?next={quote(target, safe='/')}",
                          _("Log in to continue."), kind="info")


async def handle_tisserand_error(request: Request, exc: Exception) -> Response:
    """TisserandError → JSON error or friendly page with the same status (an anonymous visitor
    who opens a page that needs an account is sent to the log-in page instead)."""
    assert isinstance(exc, TisserandError)
    if isinstance(exc, PermissionRefused):
        from tisserand.permissions import explain_refusal

        exc.message = await explain_refusal(exc.member, exc.community, exc.permission) or exc.message
    if wants_json(request):
        return JSONResponse(exc.as_dict(), status_code=exc.status_code, headers=exc.headers)
    if exc.status_code == 401 and request.method in ("GET", "HEAD"):
        return login_redirect(request)
    return await error_page(request, exc.status_code, exc.message, exc.headers, {"fields": exc.fields})


async def handle_http_exception(request: Request, exc: Exception) -> Response:
    """Starlette's HTTPException (404 for unknown paths, 405…) in our formats."""
    assert isinstance(exc, HTTPException)
    status = exc.status_code
    message = exc.detail if isinstance(exc.detail, str) and exc.detail not in TITLES.values() else ""
    if message and message == _http_phrase(status):
        message = ""  # Starlette's English default ("Method Not Allowed"): ours is translated
    if status == 404 and not message:
        message = _("There is nothing at this address. It may have moved, or you may not have access to it.")
    elif status == 405 and not message:
        message = _("This address does not accept this kind of request. Go back and use the page's "
                    "buttons and forms.")
    message = message or _(TITLES.get(status, N_("Error")))
    if wants_json(request):
        return JSONResponse({"error": {"code": CODES.get(status, "error"), "message": message}},
                            status_code=status, headers=exc.headers)
    return await error_page(request, status, message, exc.headers)


def _http_phrase(status: int) -> str:
    from http import HTTPStatus

    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""


async def handle_server_error(request: Request, exc: Exception) -> Response:
    """An unexpected failure: logged with its traceback, a calm page for the visitor. Failures
    that bad input causes deep down (a value the database refuses, a duplicate) get their 4xx
    here, whatever route raised them (see :mod:`tisserand.web.dberrors`). After a real 500 the
    connection is closed (``Connection: close``), so that a proxy does not reuse it."""
    from tisserand.web.dberrors import classify

    known = classify(exc)
    if known is not None:
        return await handle_tisserand_error(request, known)
    log.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    message = _("Something went wrong on our side. Nothing you entered was lost: try again in a moment.")
    headers = {"Connection": "close"}
    if wants_json(request):
        return JSONResponse({"error": {"code": "server_error", "message": message}}, status_code=500,
                            headers=headers)
    return await error_page(request, 500, message, headers)


async def handle_low_level_error(request: Request, exc: Exception) -> Response:
    """Database and conversion errors: a 4xx when bad input caused them (answered here, so the
    exception stops), else the server-error answer."""
    from tisserand.web.dberrors import classify

    known = classify(exc)
    if known is not None:
        return await handle_tisserand_error(request, known)
    return await handle_server_error(request, exc)


def _low_level_handlers() -> dict[Any, Any]:
    from tisserand.web.dberrors import LOW_LEVEL_ERRORS

    return {cls: handle_low_level_error for cls in LOW_LEVEL_ERRORS}


EXCEPTION_HANDLERS: dict[Any, Any] = {
    TisserandError: handle_tisserand_error,
    HTTPException: handle_http_exception,
    **_low_level_handlers(),
    Exception: handle_server_error,
}
