"""Calls to all: a coordinator or animator tells every member of a community at once, in-app
and by e-mail, whatever their digest settings — one call per community per day, logged in the
audit log.

The text is a content item (kind ``digests.call``) written through the content pipeline, so
moderation may hold it; a held call goes out when it is approved. Delivery to each member uses
the ledger of :mod:`tisserand.plugins.digests.ledger` under the key ``call:<id>``, so a dispatch
interrupted by a crash can be resumed (by the ``digests.calls`` job) without telling anyone twice.
"""

from __future__ import annotations

import logging
import uuid
from datetime import UTC, datetime, timedelta
from email.utils import formataddr
from typing import TYPE_CHECKING, Any, cast

from tortoise.exceptions import IntegrityError

from tisserand.communities import audit
from tisserand.content import create_content
from tisserand.db import fetch_all
from tisserand.errors import RateLimited, ValidationFailed
from tisserand.i18n import _, lazy_gettext
from tisserand.markdown import plain_excerpt
from tisserand.models import Community, Content, ContentStatus, Member, Notification
from tisserand.notify import notify
from tisserand.plugins.digests import ledger
from tisserand.plugins.digests.models import Call
from tisserand.plugins.digests.periods import zone
from tisserand.plugins.digests.render import (
    language,
    member_language,
    message_for,
    render_pair,
)
from tisserand.plugins.digests.sending import Outcome, deliver, record_bounce, record_success
from tisserand.plugins.digests.settings import digests_settings
from tisserand.plugins.digests.transport import Transport
from tisserand.plugins.digests.util import as_datetime, run_limited

if TYPE_CHECKING:
    from tisserand.site import Site

log = logging.getLogger("tisserand.digests")
KIND = "digests.call"
MAX_SUBJECT = 200


def today(site: Site, now: datetime | None = None) -> tuple[Any, datetime]:
    """The site's current day and the instant the next one starts."""
    tz = zone(site.settings.site.timezone)
    local = (now or datetime.now(UTC)).astimezone(tz)
    tomorrow = datetime.combine(local.date() + timedelta(days=1), datetime.min.time(), tzinfo=tz)
    return local.date(), tomorrow


def _too_soon(site: Site) -> RateLimited:
    _day, tomorrow = today(site)
    wait = max(60, int((tomorrow - datetime.now(UTC)).total_seconds()))
    return RateLimited(_("A call to all was already sent in this community today. The next one "
                         "can be sent tomorrow."), retry_after=wait)


async def sent_today(site: Site, community: Community) -> bool:
    """Was a call already posted in ``community`` today (site time zone)?"""
    day, _tomorrow = today(site)
    return await Call.filter(community_id=community.id, day=day).exists()


async def create_call(site: Site, community: Community, author: Member, subject: str, body: str) -> Call:
    """Post a call (permission checks are the caller's); 429 when one was sent today. The
    dispatch is left to :func:`dispatch_call` (run it after answering the request)."""
    subject = " ".join(subject.split())
    errors = {}
    if not subject or len(subject) > MAX_SUBJECT:
        errors["subject"] = _("A subject of 1 to {n} characters is required.", n=MAX_SUBJECT)
    if not body.strip():
        errors["body"] = _("Write the message.")
    if errors:
        raise ValidationFailed(_("Please correct the highlighted fields."), fields=errors)
    if await sent_today(site, community):
        raise _too_soon(site)
    day, _tomorrow = today(site)
    holder: dict[str, Call] = {}

    async def save_call(content: Content) -> None:
        holder["call"] = await Call.create(content=content, community=community, author=author, day=day)

    try:
        content = await create_content(kind=KIND, community=community, author=author, title=subject,
                                       body=body, meta={"mentions": False},  # it reaches everyone anyway
                                       save_related=save_call, site=site)
    except IntegrityError:  # two calls posted at the same instant: the unique day refuses one
        raise _too_soon(site) from None
    call = holder["call"]
    call.content = content
    await audit(author, community, "digests.call", target_kind=KIND, target_id=content.id,
                data={"subject": subject, "status": str(content.status)})
    return call


async def dispatch_call(site: Site, call_id: int, *, mailer: Any = None) -> Call | None:
    """Tell every active member of the call's community (but its author): an in-app
    notification and an e-mail each, once. Safe to run again after a crash."""
    call = await Call.get_or_none(id=call_id).select_related("content", "community", "author")
    if call is None or call.content.status != ContentStatus.PUBLISHED:
        return call
    config = digests_settings(site)
    key = f"call:{call.id}"
    run_id = uuid.uuid4().hex
    last_id = 0
    transport = Transport(site, mailer, size=config.concurrency)
    try:
        while True:
            rows = await fetch_all(
                "SELECT ms.member_id AS id, a.email_paused_at, a.bounce_count FROM membership ms "
                "JOIN member m ON m.id = ms.member_id LEFT JOIN digests_account a ON a.member_id = m.id "
                "WHERE ms.community_id = ? AND ms.state = 'active' AND m.is_active = TRUE "
                "AND m.is_placeholder = FALSE AND m.id > ? AND m.id <> ? ORDER BY m.id LIMIT ?",
                [call.community.id, last_id, call.author_id or 0, config.batch_size])
            if not rows:
                break
            last_id = rows[-1]["id"]
            owned = await ledger.claim([r["id"] for r in rows], key, "call", run_id, now=datetime.now(UTC),
                                       claim_timeout=config.claim_timeout, max_attempts=config.max_attempts)
            members = {m.id: m for m in await Member.filter(id__in=list(owned))}

            work = [(row, members[row["id"]], owned[row["id"]]) for row in rows
                    if row["id"] in owned and row["id"] in members]

            async def one(item: tuple[dict[str, Any], Member, int]) -> None:
                row, member, delivery_id = item
                await _tell(site, call, member, delivery_id, run_id, row, transport)

            await run_limited(work, one, config.concurrency)
    finally:
        await transport.close()
        await ledger.release(run_id)
    counts = await ledger.counts(key)
    call.recipients = sum(counts.values())
    call.emailed = counts.get("sent", 0)
    call.dispatched_at = datetime.now(UTC)
    await call.save(update_fields=["recipients", "emailed", "dispatched_at"])
    return call


async def _tell(site: Site, call: Call, member: Member, delivery_id: int, run_id: str,
                row: dict[str, Any], transport: Transport) -> None:
    config = digests_settings(site)
    community = call.community
    author = call.author
    with language(member_language(site, member)):
        title = lazy_gettext("Call to all in {community}: {subject}", community=community.name, subject=call.content.title)
        notification = None
        told = await Notification.filter(member_id=member.id, kind=KIND, content_id=call.content.id).exists()
        if not told:  # a retry after a crash or a temporary failure must not notify twice
            notification = await notify(member, KIND, title, text=plain_excerpt(call.content.html, 280, is_html=True),
                                        url=f"/c/{community.slug}/calls/{call.content.id}", actor=author,
                                        community=community, content=call.content, site=site)
        if row["email_paused_at"] is not None or not member.email:
            await ledger.mark(delivery_id, run_id, "skipped", "e-mail paused")
            return
        subject = f"[{community.name}] {call.content.title}"
        html, text = render_pair(site, "call", {"call": call, "content": call.content, "community": community,
                                                "author": author, "member": member, "subject": subject})
        message = message_for(site, member, subject, html, text, {
            "Auto-Submitted": "auto-generated", "X-Tisserand-Call": str(call.id),
            "List-Id": formataddr((community.name, f"{community.slug}.calls.{_host(site)}"), charset="utf-8")})
    if not await ledger.start_sending(delivery_id, run_id, message.message_id):
        return
    outcome, error = await deliver(transport, message, config)
    await ledger.finish(delivery_id, run_id, outcome.value, error)
    if outcome == Outcome.SENT:
        if notification is not None:
            notification.emailed_at = datetime.now(UTC)
            await notification.save(update_fields=["emailed_at"])
        if row.get("bounce_count"):
            await record_success(member.id)
    elif outcome == Outcome.BOUNCED:
        await record_bounce(member.id, "call", error, config)


def _host(site: Site) -> str:
    from urllib.parse import urlsplit

    return urlsplit(site.settings.site.base_url).hostname or "localhost"


async def resume_calls(site: Site) -> int:
    """Finish dispatches cut short (a crash) and retry temporary failures of recent calls."""
    now = datetime.now(UTC)
    config = digests_settings(site)
    pending = await Call.filter(dispatched_at__isnull=True, created_at__lt=now - timedelta(minutes=2),
                                created_at__gte=now - timedelta(days=3)).values_list("id", flat=True)
    failed = await fetch_all(
        "SELECT DISTINCT period_key FROM digests_delivery WHERE kind = 'call' AND state = 'failed' "
        "AND attempts < ? AND claimed_at >= ?", [config.max_attempts, now - timedelta(days=3)])
    ids = set(cast("list[int]", pending)) | {int(r["period_key"].split(":", 1)[1]) for r in failed}
    for call_id in sorted(ids):
        await dispatch_call(site, call_id)
    return len(ids)


async def recent_calls(community: Community, limit: int = 20) -> list[dict[str, Any]]:
    """The community's last calls (published ones), newest first."""
    rows = await fetch_all(
        "SELECT dc.id, dc.content_id, dc.recipients, dc.emailed, dc.dispatched_at, dc.created_at, ct.title, ct.html, "
        "ct.status, m.username AS author_username, m.display_name AS author_name "
        "FROM digests_call dc JOIN content ct ON ct.id = dc.content_id "
        "LEFT JOIN member m ON m.id = dc.author_id WHERE dc.community_id = ? "
        "ORDER BY dc.id DESC LIMIT ?", [community.id, limit])
    for row in rows:
        row["created_at"] = as_datetime(row["created_at"])
        row["dispatched_at"] = as_datetime(row["dispatched_at"])
    return rows
