"""An HTTP client for tests: httpx over the app's ASGI interface, with log-in and CSRF help."""

from __future__ import annotations

import re
from typing import Any

import httpx

from tisserand.web.security import ANON_CSRF_COOKIE, SESSION_COOKIE

CSRF_INPUT = re.compile(r'name="csrf_token" value="([^"]+)"')


class TestClient(httpx.AsyncClient):
    """``await client.login_as(member)``; ``await client.post_form(url, data)`` adds the CSRF
    token; ``client.use_token(token)`` switches to bearer authentication."""

    __test__ = False  # not a test class, whatever pytest thinks of the name

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.csrf: str | None = None

    @classmethod
    def for_app(cls, app: Any) -> TestClient:
        """A client bound to an ASGI app."""
        return cls(transport=httpx.ASGITransport(app=app), base_url="http://testserver",
                   follow_redirects=False)

    async def login_as(self, member: Any) -> None:
        """Open a real session for ``member`` and keep its cookie and CSRF token."""
        from tisserand.auth import open_session, record_visit
        from tisserand.site import current_site

        secret, session = await open_session(current_site().settings, member, "tests")
        # As the log-in page does: signing in is a visit, so the first page is not the one
        # that writes "last seen" (query-count tests compare pages, not log-ins).
        await record_visit(member, session=session)
        self.cookies.set(SESSION_COOKIE, secret)
        self.csrf = session.csrf_token

    def logout_locally(self) -> None:
        """Forget the session cookie (the server session is left alone)."""
        self.cookies.delete(SESSION_COOKIE)
        self.csrf = None

    def use_token(self, token: str | None) -> None:
        """Send ``Authorization: Bearer token`` (None to stop)."""
        if token is None:
            self.headers.pop("Authorization", None)
        else:
            self.headers["Authorization"] = f"Bearer {token}"

    async def csrf_token(self) -> str:
        """The CSRF token the site expects from this client."""
        if self.csrf:
            return self.csrf
        if ANON_CSRF_COOKIE not in self.cookies:
            await self.get("/c/")  # any page sets the anonymous CSRF cookie (not /healthz: no middleware)
        return str(self.cookies[ANON_CSRF_COOKIE])

    async def post_form(self, url: str, data: dict[str, Any] | None = None, **kwargs: Any) -> httpx.Response:
        """POST a form with the CSRF token added."""
        payload = dict(data or {})
        payload.setdefault("csrf_token", await self.csrf_token())
        return await self.post(url, data=payload, **kwargs)

    async def api(self, method: str, url: str, json: Any = None, **kwargs: Any) -> httpx.Response:
        """An API call; with a session (not a token) the X-CSRF-Token header is added to writes."""
        headers = dict(kwargs.pop("headers", {}) or {})
        if method.upper() != "GET" and "Authorization" not in self.headers:
            headers.setdefault("X-CSRF-Token", await self.csrf_token())
        return await self.request(method, url, json=json, headers=headers, **kwargs)
