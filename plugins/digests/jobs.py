"""The scheduled jobs: due digests, and calls to all cut short."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from tisserand.plugins.digests.periods import is_due, zone
from tisserand.plugins.digests.runner import send_digests
from tisserand.plugins.digests.settings import PERIODS, digests_settings

if TYPE_CHECKING:
    from tisserand.site import Site

log = logging.getLogger("tisserand.digests")


async def send_due_digests(site: Site) -> None:
    """Send each period's digests once ``send_hour`` has passed in its first day (site time);
    later ticks of the same period only catch up members not served yet."""
    config = digests_settings(site)
    now = datetime.now(UTC)
    tz = zone(site.settings.site.timezone)
    for period in PERIODS:
        if is_due(period, now, tz, config.send_hour):
            report = await send_digests(site, period, now=now)
            if report.seen:
                log.info("digests %s: %d sent in %.1fs", report.key, report.sent, report.seconds)


async def resume_calls_job(site: Site) -> None:
    """Finish interrupted calls to all, retry their temporary failures."""
    from tisserand.plugins.digests.calls import resume_calls

    await resume_calls(site)
