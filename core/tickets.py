"""One-time, short-lived secrets kept in the database (so any web process can take them, and a
second use finds nothing): the OpenID state, a pending second factor, a pending account link,
a break-glass log-in link. Only the SHA-256 of a secret is stored."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta
from typing import Any

from tisserand.auth import digest
from tisserand.models import AuthTicket, Member

__all__ = ["issue_ticket", "peek_ticket", "take_ticket"]


async def issue_ticket(purpose: str, *, member: Member | None = None, data: dict[str, Any] | None = None,
                       seconds: int = 600) -> str:
    """Store a new ticket for ``purpose`` and return its secret (tickets past their time are
    swept on the way)."""
    now = datetime.now(UTC)
    await AuthTicket.filter(expires_at__lt=now).delete()
    secret = secrets.token_urlsafe(32)
    await AuthTicket.create(key_hash=digest(secret), purpose=purpose, member=member, data=data or {},
                            expires_at=now + timedelta(seconds=seconds))
    return secret


async def peek_ticket(purpose: str, secret: str) -> AuthTicket | None:
    """The live ticket for ``secret`` (its member loaded), without using it up."""
    if not secret or len(secret) > 200:
        return None
    ticket = await AuthTicket.get_or_none(key_hash=digest(secret), purpose=purpose).prefetch_related("member")
    if ticket is None or ticket.expires_at < datetime.now(UTC):
        return None
    return ticket


async def take_ticket(purpose: str, secret: str) -> AuthTicket | None:
    """Use a ticket up: the live ticket for ``secret``, deleted, or None (unknown, expired, or
    already taken, even by a concurrent request)."""
    ticket = await peek_ticket(purpose, secret)
    if ticket is None:
        return None
    if not await AuthTicket.filter(id=ticket.id).delete():
        return None
    return ticket
