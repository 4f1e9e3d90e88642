"""API: what is signed in as me — sessions and API tokens — revocable one by one
(``/api/v1/me/sessions``, ``/api/v1/me/tokens``)."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from tisserand.errors import NotFound
from tisserand.i18n import _
from tisserand.models import ApiToken, Session, SsoSession
from tisserand.web.answers import SessionOut, TokenOut
from tisserand.web.api import answer, documented, require_viewer


def _id(request: Request, name: str, message: str) -> int:
    try:
        value = int(request.path_params[name])
    except ValueError:
        raise NotFound(message) from None
    if not 0 < value < 2**31:
        raise NotFound(message)
    return value


@documented(tags=["accounts"], listing=True, answer=SessionOut)
async def my_sessions(request: Request) -> Response:
    """The browsers logged in to my account, most recently seen first."""
    member = require_viewer(request)
    current = getattr(request.state, "session", None)
    sessions = await Session.filter(member_id=member.id).order_by("-last_seen_at").limit(200)
    providers = {row.session_id: row.provider for row in await SsoSession.filter(
        session_id__in=[s.id for s in sessions])}
    items: list[dict[str, Any]] = [{
        "id": s.id, "user_agent": s.user_agent, "created_at": s.created_at, "last_seen_at": s.last_seen_at,
        "expires_at": s.expires_at, "current": current is not None and current.id == s.id,
        "provider": providers.get(s.id)} for s in sessions]
    return answer({"items": items, "next": None})


@documented(status=204, tags=["accounts"])
async def revoke_session(request: Request) -> Response:
    """Log one of my sessions out."""
    member = require_viewer(request)
    session_id = _id(request, "session_id", _("No such session."))
    if not await Session.filter(id=session_id, member_id=member.id).delete():
        raise NotFound(_("No such session."))
    return Response(status_code=204)


@documented(tags=["accounts"], listing=True, answer=TokenOut)
async def my_tokens(request: Request) -> Response:
    """My API tokens (never their secrets), newest first."""
    member = require_viewer(request)
    from tisserand.auth import digest

    header = request.headers.get("authorization", "")
    current_hash = digest(header[7:].strip()) if request.state.auth == "token" else None
    tokens = await ApiToken.filter(member_id=member.id).order_by("-created_at").limit(200)
    items = [{"id": t.id, "name": t.name, "created_at": t.created_at, "last_used_at": t.last_used_at,
              "current": t.key_hash == current_hash} for t in tokens]
    return answer({"items": items, "next": None})


@documented(status=204, tags=["accounts"])
async def revoke_token(request: Request) -> Response:
    """Revoke one of my API tokens."""
    member = require_viewer(request)
    token_id = _id(request, "token_id", _("No such token."))
    if not await ApiToken.filter(id=token_id, member_id=member.id).delete():
        raise NotFound(_("No such token."))
    return Response(status_code=204)


def routes() -> list[BaseRoute]:
    """API routes (relative to /api/v1)."""
    return [
        Route("/me/sessions", my_sessions, methods=["GET"], name="me-sessions"),
        Route("/me/sessions/{session_id}", revoke_session, methods=["DELETE"], name="me-session"),
        Route("/me/tokens", my_tokens, methods=["GET"], name="me-tokens"),
        Route("/me/tokens/{token_id}", revoke_token, methods=["DELETE"], name="me-token"),
    ]
