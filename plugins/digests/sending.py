"""Handing one message to the mail server: retries with back-off on temporary errors, bounces
recorded, and e-mail paused for a member after repeated bounces."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from tortoise.exceptions import IntegrityError
from tortoise.expressions import F

from tisserand.db import execute
from tisserand.mail import PermanentMailError, TemporaryMailError
from tisserand.plugins.digests.models import Bounce, DigestAccount
from tisserand.plugins.digests.settings import DigestsSettings
from tisserand.plugins.digests.util import marks

if TYPE_CHECKING:
    from tisserand.plugins.digests.render import Outgoing
    from tisserand.plugins.digests.transport import Transport

log = logging.getLogger("tisserand.digests")


class Outcome(StrEnum):
    """How a delivery ended."""

    SENT = "sent"
    BOUNCED = "bounced"
    FAILED = "failed"


async def deliver(transport: Transport, message: Outgoing, config: DigestsSettings) -> tuple[Outcome, str]:
    """Send ``message``, retrying ``config.retries`` times with doubling delays while the
    server answers "try again later"; a refusal (5xx) is a bounce, not retried."""
    delay = config.retry_delay
    error = ""
    for attempt in range(1, config.retries + 1):
        try:
            await transport.send(message)
            return Outcome.SENT, ""
        except PermanentMailError as exc:
            return Outcome.BOUNCED, str(exc)
        except TemporaryMailError as exc:
            error = str(exc)
            log.info("temporary mail error for %s (try %d): %s", message.recipient, attempt, error)
            if attempt < config.retries:
                await asyncio.sleep(delay)
                delay *= 2
    return Outcome.FAILED, error


async def record_bounce(member_id: int, kind: str, error: str, config: DigestsSettings) -> bool:
    """Remember a refused address; returns True when e-mails to the member are now paused."""
    await Bounce.create(member_id=member_id, kind=kind, error=error[:500])
    try:
        await DigestAccount.get_or_create(member_id=member_id)
    except IntegrityError:
        pass
    await DigestAccount.filter(member_id=member_id).update(bounce_count=F("bounce_count") + 1)
    paused = await DigestAccount.filter(member_id=member_id, bounce_count__gte=config.max_bounces,
                                        email_paused_at__isnull=True).update(email_paused_at=datetime.now(UTC))
    if paused:
        log.warning("e-mail to member %s paused after %d bounces", member_id, config.max_bounces)
    return bool(paused)


async def record_success(*member_ids: int) -> None:
    """A delivered message ends a series of bounces."""
    if member_ids:
        await execute("UPDATE digests_account SET bounce_count = 0 WHERE bounce_count > 0 "
                      f"AND member_id IN ({marks(list(member_ids))})", list(member_ids))


async def mark_emailed(notification_ids: list[int]) -> None:
    """Notifications that went out in a message are not e-mailed again."""
    if notification_ids:
        await execute(f"UPDATE notification SET emailed_at = ? WHERE id IN ({marks(notification_ids)})",
                      [datetime.now(UTC), *notification_ids])
