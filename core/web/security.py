"""Sessions, the viewer, CSRF and the locale, as one ASGI middleware.

For every request: the session cookie (or ``Authorization: Bearer`` on the API) gives
``request.state.viewer``; the locale is set from the member, ``Accept-Language`` or the site
default (a visitor's choice in the ``tisserand_locale`` cookie comes before ``Accept-Language``).
Every unsafe request (POST, PUT, PATCH, DELETE) that a browser could forge — any form, and API
calls authenticated by cookie — must carry the CSRF token, in the ``csrf_token`` form field or
the ``X-CSRF-Token`` header; otherwise it is refused with 403 before any handler runs. API calls
with a bearer token, or with no credentials at all, need no CSRF token.
"""

from __future__ import annotations

import contextvars
import hmac
import secrets
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, quote

from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, RedirectResponse, Response

from tisserand import i18n
from tisserand.auth import api_token_for, record_visit, session_for
from tisserand.legal import consent_gate_allows

if TYPE_CHECKING:
    from starlette.types import ASGIApp, Message, Receive, Scope, Send

    from tisserand.site import Site

__all__ = ["csrf_token", "current_request"]

SESSION_COOKIE = "tisserand_session"
ANON_CSRF_COOKIE = "tisserand_csrf"
#: The language a visitor chose with the footer switcher (members keep theirs in their account).
LOCALE_COOKIE = "tisserand_locale"
UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}


def csrf_token(request: Request) -> str:
    """The CSRF token to put in forms (``<input name="csrf_token">``) for this visitor."""
    session = getattr(request.state, "session", None)
    if session is not None:
        return str(session.csrf_token)
    return str(request.state.anon_csrf)


def is_api(path: str) -> bool:
    """Is this a JSON API path?"""
    return path.startswith("/api/")


_REQUEST: contextvars.ContextVar[Request | None] = contextvars.ContextVar("tisserand_request", default=None)


def current_request() -> Request | None:
    """The HTTP request this task is serving, or None outside one (CLI, jobs, the demo, direct
    calls in tests). Lets the content pipeline's hooks tell a visitor's write from server-side
    work, e.g. to rate-limit only the former."""
    return _REQUEST.get()


class SecurityMiddleware:
    """Loads the viewer, sets the locale and enforces CSRF (see the module docstring)."""

    def __init__(self, app: ASGIApp, site: Site) -> None:
        self.app = app
        self.site = site

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        self.site.activate()
        request = Request(scope)
        headers = request.headers
        state: dict[str, Any] = scope.setdefault("state", {})
        state.update(viewer=None, session=None, auth="none")
        state["anon_csrf"] = request.cookies.get(ANON_CSRF_COOKIE) or secrets.token_urlsafe(24)
        set_anon_cookie = ANON_CSRF_COOKIE not in request.cookies

        authorization = headers.get("authorization", "")
        # Tokens open the API and the downloads of files (``url`` in the API's answers).
        token_path = is_api(scope["path"]) or scope["path"].startswith("/uploads/")
        if token_path and authorization.lower().startswith("bearer "):
            api_token = await api_token_for(authorization[7:].strip())
            member = api_token.member if api_token is not None else None
            if member is None:
                await JSONResponse({"error": {"code": "unauthorized",
                                              "message": "This API token is not valid."}},
                                   status_code=401)(scope, receive, send)
                return
            state.update(viewer=member, auth="token")
            await record_visit(member, token=api_token)
        elif SESSION_COOKIE in request.cookies:
            session = await session_for(request.cookies[SESSION_COOKIE])
            if session is not None and session.member.is_active:
                state.update(viewer=session.member, session=session, auth="session")
                await record_visit(session.member, session=session)

        viewer = state["viewer"]
        if viewer is not None and viewer.is_admin and self.site.settings.auth.admins_require_2fa:
            await _hold_admin_rights(state)
        language = ((i18n.normalize(viewer.locale) if viewer is not None else None)
                    or i18n.normalize(request.cookies.get(LOCALE_COOKIE))
                    or i18n.negotiate(headers.get("accept-language"),
                                      self.site.settings.site.default_locale))
        token = i18n.set_locale(language)
        request_token = _REQUEST.set(request)
        try:
            # An API call that carries no credentials at all (creating an account, asking for a
            # token) has nothing a forged request could abuse: only authenticated writes need it.
            anonymous_api = is_api(scope["path"]) and state["auth"] == "none"
            if scope["method"] in UNSAFE and state["auth"] != "token" and not anonymous_api:
                checked = await self._check_csrf(scope, receive, send, request, state)
                if checked is None:
                    return
                receive = checked
            if (state["auth"] == "session" and viewer.consent_pending
                    and not consent_gate_allows(scope["path"])):
                # An account made without the member's acceptance: ask before anything else.
                await RedirectResponse(f"/consent?next={quote(_path_and_query(request))}",
                                       status_code=303)(scope, receive, send)
                return
            await self.app(scope, receive, _retry_after(self._with_cookie(send, state, set_anon_cookie), state))
        finally:
            _REQUEST.reset(request_token)
            i18n._locale.reset(token)

    async def _check_csrf(self, scope: Scope, receive: Receive, send: Send, request: Request,
                          state: dict[str, Any]) -> Receive | None:
        expected = state["session"].csrf_token if state["session"] is not None else state["anon_csrf"]
        given = request.headers.get("x-csrf-token")
        if given is not None:  # checked from the header: the body (maybe a large file) streams on
            if hmac.compare_digest(given, expected):
                return receive
            await self._refuse(scope, receive, send)
            return None
        body, replay = await self._buffer(scope, receive, send)
        if body is None:
            return None
        receive = replay
        if given is None:
            given = _form_token(request.headers, body)
        if given is None or not hmac.compare_digest(given, expected):
            await self._refuse(scope, receive, send)
            return None
        return receive

    async def _buffer(self, scope: Scope, receive: Receive, send: Send) -> tuple[bytes | None, Receive]:
        from tisserand.web.body_limit import body_limit

        limit = body_limit(self.site, Headers(scope=scope))
        chunks = []
        size = 0
        more = True
        while more:
            message = await receive()
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                response: Response = PlainTextResponse(
                    i18n.gettext("The request is too large."), status_code=413)
                if is_api(scope["path"]):
                    response = JSONResponse({"error": {"code": "too_large", "message": i18n.gettext(
                        "The request is too large.")}}, status_code=413)
                await response(scope, receive, send)
                return None, receive
            chunks.append(chunk)
            more = message.get("more_body", False)
        body = b"".join(chunks)
        sent = False

        async def replay() -> Message:
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        return body, replay

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        message = i18n.gettext(
            "This form has expired or did not come from this site. Go back, reload the page and try again.")
        if is_api(scope["path"]):
            response: Response = JSONResponse({"error": {"code": "csrf", "message": message}},
                                              status_code=403)
        else:
            from tisserand.web.errors import error_page

            response = await error_page(Request(scope, receive), 403, message)
        await response(scope, receive, send)

    @staticmethod
    def _with_cookie(send: Send, state: dict[str, Any], set_anon_cookie: bool) -> Send:
        if not set_anon_cookie:
            return send

        async def wrapped(message: Message) -> None:
            if message["type"] == "http.response.start":
                cookie = (f"{ANON_CSRF_COOKIE}={state['anon_csrf']}; Path=/; HttpOnly; SameSite=Lax")
                message.setdefault("headers", []).append((b"set-cookie", cookie.encode()))
            await send(message)

        return wrapped


#: ``Retry-After`` of a 429 when the code that refused gave no delay.
DEFAULT_RETRY_AFTER = 60


def note_retry_after(seconds: int) -> None:
    """Remember, for the request being served, after how long a refused client may try again:
    every 429 answer of that request then carries ``Retry-After`` (also a form page rendered
    again with status 429 by a handler that caught the error)."""
    request = current_request()
    if request is not None:
        request.scope.setdefault("state", {})["retry_after"] = max(1, int(seconds))


def _retry_after(send: Send, state: dict[str, Any]) -> Send:
    """Every 429 answer, HTML or JSON, carries ``Retry-After``."""

    async def wrapped(message: Message) -> None:
        if message["type"] == "http.response.start" and message.get("status") == 429:
            headers = list(message.get("headers", []))
            if not any(name.lower() == b"retry-after" for name, _value in headers):
                seconds = state.get("retry_after") or DEFAULT_RETRY_AFTER
                headers.append((b"retry-after", str(seconds).encode()))
                message = {**message, "headers": headers}
        await send(message)

    return wrapped
async def _hold_admin_rights(state: dict[str, Any]) -> None:
    """``[auth] admins_require_2fa``: an administrator who logged in with a password alone acts
    as a plain member (for this request, nothing is saved) until they set up two factors.
    Sessions opened through an identity provider (which checks identity its own way) or with a
    break-glass link keep their rights."""
    from tisserand.models import SsoSession, TwoFactor

    viewer = state["viewer"]
    session = state["session"]
    if session is not None and await SsoSession.filter(session_id=session.id).exists():
        return
    if await TwoFactor.filter(member_id=viewer.id, confirmed_at__isnull=False).exists():
        return
    viewer.is_admin = False
    state["admin_needs_2fa"] = True


def _form_token(headers: Headers, body: bytes) -> str | None:
    content_type = headers.get("content-type", "")
    if content_type.startswith("application/x-www-form-urlencoded"):
        values = parse_qs(body.decode("utf-8", "replace")).get("csrf_token")
        return values[0] if values else None
    if content_type.startswith("multipart/form-data"):
        marker = b'name="csrf_token"'
        index = body.find(marker)
        if index < 0:
            return None
        start = body.find(b"\r\n\r\n", index)
        end = body.find(b"\r\n", start + 4)
        if start < 0 or end < 0:
            return None
        return body[start + 4:end].decode("utf-8", "replace")
    return None


def _path_and_query(request: Request) -> str:
    path = request.url.path
    return f"{path}?{request.url.query}" if request.url.query and request.method == "GET" else path


def set_session_cookie(response: Response, secret: str, site: Site) -> None:
    """Put the session secret in a secure, HTTP-only cookie."""
    response.set_cookie(SESSION_COOKIE, secret, max_age=site.settings.auth.session_days * 86400,
                        httponly=True, samesite="lax",
                        secure=site.settings.site.base_url.startswith("https://"))


def clear_session_cookie(response: Response) -> None:
    """Remove the session cookie."""
    response.delete_cookie(SESSION_COOKIE)
