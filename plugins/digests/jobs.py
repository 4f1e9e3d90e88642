"""Background work: due digests (a periodic job that splits each run into shares for the
workers), calls to all, and the catch-up of calls cut short. Every handler is idempotent: the
delivery ledger makes each member's digest or call go out once, whoever runs it, however often."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from tisserand.db import fetch_one
from tisserand.jobs import defer
from tisserand.plugins.digests.periods import is_due, zone
from tisserand.plugins.digests.runner import send_digests
from tisserand.plugins.digests.settings import PERIODS, digests_settings

if TYPE_CHECKING:
    from tisserand.site import Site

log = logging.getLogger("tisserand.digests")
#: Members' ids per share of a digest run (one job each).
SHARE = 500


async def send_due_digests(site: Site) -> None:
    """Each period's digests are due once ``send_hour`` has passed in its first day (site
    time): defer one ``digests.send_share`` job per range of member ids. Later ticks of the
    same period only catch up members not served yet."""
    config = digests_settings(site)
    now = datetime.now(UTC)
    tz = zone(site.settings.site.timezone)
    bounds = await fetch_one("SELECT MIN(id) AS lo, MAX(id) AS hi FROM member")
    if not bounds or bounds["lo"] is None:
        return
    for period in PERIODS:
        if not is_due(period, now, tz, config.send_hour):
            continue
        for start in range(int(bounds["lo"]) - 1, int(bounds["hi"]), SHARE):
            await defer(site, "digests.send_share", period=period, now=now.isoformat(),
                        first_id=start, last_id=start + SHARE,
                        queueing_lock=f"digests:{period}:{start}")


async def send_share(site: Site, period: str, now: str, first_id: int, last_id: int) -> None:
    """Send the due digests of ``period`` to members with ids in ``(first_id, last_id]``."""
    report = await send_digests(site, period, now=datetime.fromisoformat(now), first_id=first_id,
                                last_id=last_id)
    if report.seen:
        log.info("digests %s (%d–%d): %d sent in %.1fs", report.key, first_id, last_id,
                 report.sent, report.seconds)


async def dispatch_call_task(site: Site, call_id: int) -> None:
    """A call to all, deferred by the request that published it."""
    from tisserand.plugins.digests.calls import dispatch_call

    await dispatch_call(site, call_id)


async def resume_calls_job(site: Site) -> None:
    """Finish interrupted calls to all, retry their temporary failures."""
    from tisserand.plugins.digests.calls import resume_calls

    await resume_calls(site)
