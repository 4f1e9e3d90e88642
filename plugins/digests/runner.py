"""A digest run: stream the members due for a period in keyset batches, claim them in the
ledger, build, render and send each digest, and report what happened.

Memory stays flat: one batch of members (``batch_size``) is in memory at a time, and the run
keeps counters, not results. See :mod:`tisserand.plugins.digests.ledger` for the exactly-once
rules.
"""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from tisserand.db import fetch_all
from tisserand.models import Member
from tisserand.plugins.digests import ledger
from tisserand.plugins.digests.build import Builder, batch_memberships, batch_notifications
from tisserand.plugins.digests.periods import Window, previous_window, zone
from tisserand.plugins.digests.render import (
    Outgoing,
    digest_headers,
    language,
    member_language,
    message_for,
    render_digest,
)
from tisserand.plugins.digests.sending import (
    Outcome,
    deliver,
    mark_emailed,
    record_bounce,
    record_success,
)
from tisserand.plugins.digests.settings import DigestsSettings, digests_settings
from tisserand.plugins.digests.transport import Transport
from tisserand.plugins.digests.unsubscribe import make_token, one_click_url, page_url
from tisserand.plugins.digests.util import run_limited

if TYPE_CHECKING:
    from tisserand.site import Site

log = logging.getLogger("tisserand.digests")

# Members due for a period: active, with an address, e-mail not paused by bounces, with no
# final ledger row for the key (a stale claim or a retryable failure may be taken again), and
# reading at least one community at this frequency (or having chosen it globally).
_DUE = (
    "FROM member m LEFT JOIN digests_account a ON a.member_id = m.id "
    "LEFT JOIN digests_delivery d ON d.member_id = m.id AND d.period_key = ? "
    "WHERE m.is_active = TRUE AND m.is_placeholder = FALSE AND m.email <> '' "
    "AND a.email_paused_at IS NULL "
    "AND (d.id IS NULL OR (d.state = 'claimed' AND d.claimed_at < ?) "
    "OR (d.state = 'failed' AND d.attempts < ?)) "
    "AND (COALESCE(a.frequency, ?) = ? OR EXISTS (SELECT 1 FROM membership ms "
    "LEFT JOIN digests_community_pref cp ON cp.member_id = ms.member_id "
    "AND cp.community_id = ms.community_id "
    "WHERE ms.member_id = m.id AND ms.state = 'active' AND COALESCE(cp.frequency, a.frequency, ?) = ?))"
)


@dataclass
class Pending:
    """One member's digest on its way through a wave."""

    member: Member
    delivery_id: int
    community_ids: list[int]
    notifications: list[dict[str, Any]]
    row: dict[str, Any]
    empty: bool = False
    message: Outgoing | None = None


@dataclass
class RunReport:
    """What a run did; ``sent + empty + skipped + failed + bounced + errors`` = members seen."""

    period: str
    key: str
    since: datetime
    until: datetime
    dry_run: bool = False
    due: int = 0
    sent: int = 0
    empty: int = 0
    skipped: int = 0
    failed: int = 0
    bounced: int = 0
    errors: int = 0
    uncertain: int = 0
    started: float = field(default_factory=time.monotonic)
    seconds: float = 0.0

    @property
    def seen(self) -> int:
        """Members handled by this run."""
        return self.sent + self.empty + self.skipped + self.failed + self.bounced + self.errors

    @property
    def rate(self) -> float:
        """Members handled per second."""
        return self.seen / self.seconds if self.seconds else 0.0


def _params(window: Window, config: DigestsSettings, now: datetime) -> list[Any]:
    stale = now - timedelta(seconds=config.claim_timeout)
    default = config.default_frequency
    return [window.key, stale, config.max_attempts, default, window.period, default, window.period]


async def count_due(window: Window, config: DigestsSettings, now: datetime, first_id: int = 0,
                    last_id: int | None = None) -> int:
    """How many members a run would look at now (with ids in ``(first_id, last_id]``)."""
    upper = "" if last_id is None else f" AND m.id <= {int(last_id)}"
    rows = await fetch_all(f"SELECT COUNT(*) AS n {_DUE} AND m.id > ?{upper}",
                           [*_params(window, config, now), first_id])
    return int(rows[0]["n"])


async def due_batches(window: Window, config: DigestsSettings, now: datetime,
                      first_id: int = 0, last_id: int | None = None):
    """Yield batches of due members' rows, by increasing id (keyset pagination), with ids in
    ``(first_id, last_id]`` (a worker's share of a run)."""
    cursor = first_id
    upper = "" if last_id is None else f" AND m.id <= {int(last_id)}"
    while True:
        rows = await fetch_all(
            f"SELECT m.id, a.unsubscribe_version, a.bounce_count {_DUE} AND m.id > ?{upper} "
            "ORDER BY m.id LIMIT ?", [*_params(window, config, now), cursor, config.batch_size])
        if not rows:
            return
        yield rows
        cursor = rows[-1]["id"]
        if len(rows) < config.batch_size:
            return


class DigestRun:
    """One run for one period; ``await DigestRun(site, "weekly").run()``."""

    def __init__(self, site: Site, period: str, *, now: datetime | None = None, dry_run: bool = False,
                 mailer: Any = None, on_progress: Callable[[int], Any] | None = None,
                 on_start: Callable[[int], Any] | None = None, first_id: int = 0,
                 last_id: int | None = None) -> None:
        self.site = site
        self.first_id, self.last_id = first_id, last_id
        self.config = digests_settings(site)
        # ``now`` picks the window; claims and their timeouts always follow the real clock.
        self.now = (now or datetime.now(UTC)).astimezone(UTC)
        self.window = previous_window(period, self.now, zone(site.settings.site.timezone))
        self.dry_run = dry_run
        self.mailer = mailer
        self.transport: Transport | None = None
        self.on_progress = on_progress
        self.on_start = on_start
        self.run_id = uuid.uuid4().hex
        self.report = RunReport(period, self.window.key, self.window.since, self.window.until, dry_run)
        self.builder = Builder(site, self.window)
        #: Notifications that went out in this batch's messages, marked e-mailed once per batch.
        self._emailed: list[int] = []

    async def run(self) -> RunReport:
        """Send (or, in a dry run, only build) every due digest of the period."""
        report = self.report
        report.uncertain = await ledger.uncertain(self.window.key, now=datetime.now(UTC),
                                                  claim_timeout=self.config.claim_timeout)
        report.due = await count_due(self.window, self.config, datetime.now(UTC), self.first_id, self.last_id)
        if self.on_start:
            self.on_start(report.due)
        self.transport = Transport(self.site, self.mailer, size=self.config.concurrency)
        try:
            async for rows in due_batches(self.window, self.config, datetime.now(UTC),
                                          self.first_id, self.last_id):
                await self._batch(rows)
        finally:
            await self.transport.close()
            self.site.extra.pop("digests.parts", None)  # shared renderings of this run's parts
            if not self.dry_run:
                try:
                    await self._flush_emailed()
                finally:
                    await ledger.release(self.run_id)
            report.seconds = time.monotonic() - report.started
        log.info("digests %s: %d sent, %d empty, %d skipped, %d failed, %d bounced, %d errors",
                 report.key, report.sent, report.empty, report.skipped, report.failed,
                 report.bounced, report.errors)
        return report

    async def _batch(self, rows: list[dict[str, Any]]) -> None:
        ids = [row["id"] for row in rows]
        if self.dry_run:
            owned = {member_id: 0 for member_id in ids}
        else:
            owned = await ledger.claim(ids, self.window.key, "digest", self.run_id, now=datetime.now(UTC),
                                       claim_timeout=self.config.claim_timeout,
                                       max_attempts=self.config.max_attempts)
        self.report.skipped += len(ids) - len(owned)
        self._progress(len(ids) - len(owned))
        if not owned:
            return
        member_ids = list(owned)
        members = {m.id: m for m in await Member.filter(id__in=member_ids)}
        memberships = await batch_memberships(self.site, member_ids, self.window.period)
        # every community of the batch in one query, not one per member who reads a new one
        await self.builder.communities({c for ids in memberships.values() for c in ids})
        notifications = await batch_notifications(member_ids, self.window)
        extra = {row["id"]: row for row in rows}
        todo = [Pending(members[m], owned[m], memberships.get(m, []), notifications.get(m, []), extra[m])
                for m in member_ids if m in members]
        size = self.config.concurrency
        for start in range(0, len(todo), size):
            await self._wave(todo[start:start + size])
            self._progress(len(todo[start:start + size]))
        await self._flush_emailed()

    async def _flush_emailed(self) -> None:
        emailed, self._emailed = self._emailed, []
        await mark_emailed(emailed)

    def _progress(self, count: int) -> None:
        if count and self.on_progress:
            self.on_progress(count)

    async def _wave(self, jobs: list[Pending]) -> None:
        """Build a few digests, then move their ledger rows to ``sending`` in one statement,
        hand them to the server side by side and record the outcomes in one statement.

        A wave is as large as ``concurrency``: a crash leaves at most that many messages
        *uncertain*, as many as could be in flight anyway, and the database sees two writes
        per wave instead of two per member."""
        await run_limited(jobs, self._build, self.config.concurrency)
        report = self.report
        ready = [job for job in jobs if job.message is not None]
        if self.dry_run:
            report.sent += len(ready)
            report.empty += sum(1 for job in jobs if job.empty)
            return
        empty = [job.delivery_id for job in jobs if job.empty]
        report.empty += len(empty)
        await ledger.mark_many(empty, self.run_id, "empty")
        mine = await ledger.start_sending_many(
            {job.delivery_id: job.message.message_id for job in ready if job.message}, self.run_id)
        report.skipped += len(ready) - len(mine)  # another run took them over meanwhile
        sending = [job for job in ready if job.delivery_id in mine]
        assert self.transport is not None
        transport = self.transport
        outcomes = await asyncio.gather(
            *(deliver(transport, job.message, self.config) for job in sending if job.message),
            return_exceptions=True)
        crash: BaseException | None = None
        sent: list[Pending] = []
        for job, outcome in zip(sending, outcomes, strict=True):
            if isinstance(outcome, BaseException):
                crash = crash or outcome  # its row stays "sending": uncertain, never resent
                continue
            state, error = outcome
            if state == Outcome.SENT:
                sent.append(job)
            elif state == Outcome.BOUNCED:
                report.bounced += 1
                await ledger.finish(job.delivery_id, self.run_id, state.value, error)
                await record_bounce(job.member.id, "digest", error, self.config)
            else:
                report.failed += 1
                await ledger.finish(job.delivery_id, self.run_id, state.value, error)
        report.sent += len(sent)
        await ledger.finish_many([job.delivery_id for job in sent], self.run_id, "sent")
        self._emailed += [n["id"] for job in sent for n in job.notifications]
        await record_success(*(job.member.id for job in sent if job.row.get("bounce_count")))
        if crash is not None:
            raise crash

    async def _build(self, job: Pending) -> None:
        member = job.member
        try:
            with language(member_language(self.site, member)):
                digest = await self.builder.build(member, job.community_ids, job.notifications,
                                                  self.window.period)
                if digest.empty:
                    job.empty = True
                    return
                token = make_token(self.site, member.id, job.row["unsubscribe_version"] or 0)
                subject, html, text = render_digest(self.site, digest, page_url(self.site, token))
                job.message = message_for(self.site, member, subject, html, text,
                                          digest_headers(one_click_url(self.site, token), self.window.key))
        except Exception as exc:  # one plugin's bug must not stop everyone's digest
            log.exception("building the %s digest of %s failed", self.window.key, member.username)
            self.report.errors += 1
            if not self.dry_run:
                await ledger.mark(job.delivery_id, self.run_id, "failed", f"build: {exc}")


async def send_digests(site: Site, period: str, **options: Any) -> RunReport:
    """Send the due digests of ``period`` (``daily``, ``weekly`` or ``monthly``); see
    :class:`DigestRun` for the options (``now``, ``dry_run``, ``mailer``, ``on_progress``)."""
    return await DigestRun(site, period, **options).run()
