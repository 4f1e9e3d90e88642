"""The lifecycle job: remind coordinators before a planned end, archive at the end.

It runs every hour (the day is the site's); what it does depends only on the date, so running
it more often changes nothing. Each reminder is claimed by inserting its ``Reminder`` row
(unique per community, end date and days before), in the same transaction as the
notifications: exactly once each, even with several processes. Only the most urgent reminder
due is sent (a community planned to end in 5 days gets the 7-day one, not also the 30-day
one). At the planned end, a community is archived once its coordinators have had a reminder
at least a day before; if none went out (the end was set too late), one goes out first.
"""

from __future__ import annotations

import logging
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from tisserand import i18n
from tisserand.i18n import lazy_gettext, lazy_ngettext
from tisserand.models import Community, CommunityStatus, Membership, MembershipState, Role
from tisserand.notify import notify
from tisserand.plugins.archive.lifecycle import archive, today
from tisserand.plugins.archive.models import Reminder

if TYPE_CHECKING:
    from collections.abc import Iterator

    from tisserand.models import Member
    from tisserand.site import Site

log = logging.getLogger("tisserand.archive")
NOTICE = timedelta(days=1)


@dataclass
class LifecycleReport:
    """What one run did: reminders sent as (slug, days before), communities archived."""

    reminders: list[tuple[str, int]] = field(default_factory=list)
    archived: list[str] = field(default_factory=list)


@contextmanager
def speaking(language: str) -> Iterator[None]:
    """Translate in ``language`` inside the block (notifications in the recipient's language)."""
    previous = i18n.get_locale()
    i18n.set_locale(language)
    try:
        yield
    finally:
        i18n.set_locale(previous)


def _settings(site: Site) -> tuple[list[int], bool]:
    try:
        settings = site.plugin_settings("archive")
        return sorted(set(settings.reminder_days)), bool(settings.auto_archive)
    except KeyError:
        return [7, 30], True


async def coordinators(community: Community) -> list[Member]:
    """The community's active coordinators."""
    rows = await Membership.filter(community_id=community.id, role=Role.COORDINATOR,
                                   state=MembershipState.ACTIVE).select_related("member")
    return [row.member for row in rows]


async def send_reminder(site: Site, community: Community, days_before: int, days_left: int,
                        now: datetime | None = None) -> bool:
    """Claim and send one reminder; False when it was already sent."""
    assert community.ends_on is not None
    try:
        async with in_transaction():
            await Reminder.create(community=community, ends_on=community.ends_on, days_before=days_before,
                                  sent_at=now or datetime.now(UTC))
            for member in await coordinators(community):
                with speaking(member.locale or site.settings.site.default_locale):
                    if days_left > 0:
                        title = lazy_ngettext("{community} ends in {count} day, on {date}",
                                              "{community} ends in {count} days, on {date}", days_left,
                                              community=community.name, date=community.ends_on)
                    else:
                        title = lazy_gettext("{community} reached its planned end ({date})",
                                             community=community.name, date=community.ends_on)
                    text = lazy_gettext("It will be archived then: everything stays readable, nothing can "
                                        "be changed. Celebrate what was achieved, or extend the end date "
                                        "if the community goes on.")
                await notify(member, "archive.reminder", title, text=text,
                             url=f"/c/{community.slug}/lifecycle", community=community, site=site,
                             data={"days_before": days_before, "ends_on": community.ends_on.isoformat()})
    except IntegrityError:
        return False
    return True


async def run_lifecycle(site: Site, now: datetime | None = None) -> LifecycleReport:
    """Send the reminders that are due and archive the communities whose end has come."""
    now = now or datetime.now(UTC)
    day = today(site, now)
    thresholds, auto_archive = _settings(site)
    report = LifecycleReport()
    communities = await Community.filter(status=CommunityStatus.ACTIVE, ends_on__isnull=False)
    for community in communities:
        if "archive" not in site.plugins.community_plugins(community):
            continue
        assert community.ends_on is not None
        days_left = (community.ends_on - day).days
        try:
            if days_left > 0:
                due = [d for d in thresholds if days_left <= d]
                if due and await send_reminder(site, community, min(due), days_left, now):
                    report.reminders.append((community.slug, min(due)))
                continue
            sent = await Reminder.filter(community_id=community.id, ends_on=community.ends_on).order_by(
                "-sent_at").first()
            if sent is None:
                smallest = thresholds[0] if thresholds else 0
                if await send_reminder(site, community, smallest, days_left, now):
                    report.reminders.append((community.slug, smallest))
            elif auto_archive and now - sent.sent_at >= NOTICE:
                await archive(site, community, None, lazy_gettext("The planned end date was reached."))
                report.archived.append(community.slug)
        except Exception:  # one community's failure must not stop the others
            log.exception("lifecycle job failed for community %s", community.slug)
    return report
