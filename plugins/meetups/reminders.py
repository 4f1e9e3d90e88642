"""The reminder job: each attendee hears of a meet-up once, ``reminder_hours`` before it.

Each reminder is claimed with a conditional UPDATE (``reminded_at IS NULL``) in the same
transaction as the notification, so two schedulers running at once cannot both send it, and a
failure leaves it to the next run.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from tortoise.transactions import in_transaction

from tisserand.db import as_datetime, fetch_all
from tisserand.i18n import lazy_gettext
from tisserand.models import Community, Content, Member
from tisserand.notify import notify

from .models import Rsvp
from .times import utcnow, viewer_zone

if TYPE_CHECKING:
    from tisserand.site import Site


async def send_reminders(site: Site, now: datetime | None = None) -> int:
    """Notify attendees of meet-ups starting within ``reminder_hours``; returns how many."""
    now = now or utcnow()
    horizon = now + timedelta(hours=site.plugin_settings("meetups").reminder_hours)
    due = await fetch_all(
        "SELECT r.id, r.member_id, r.meetup_id, m.starts_at, m.timezone FROM meetups_rsvp r "
        "JOIN meetups_meetup m ON m.id = r.meetup_id JOIN content c ON c.id = m.id "
        "WHERE m.starts_at > ? AND m.starts_at <= ? AND m.cancelled = ? AND c.status = 'published' "
        "AND r.state = 'going' AND r.reminded_at IS NULL ORDER BY m.starts_at, r.id",
        [now, horizon, False], datetimes=["starts_at"])
    contents: dict[int, Content] = {}
    communities: dict[int, Community] = {}
    sent = 0
    for row in due:
        meetup_id = int(row["meetup_id"])
        if meetup_id not in contents:
            contents[meetup_id] = await Content.get(id=meetup_id)
            community_id = contents[meetup_id].community_id
            communities.setdefault(community_id, await Community.get(id=community_id))
        content = contents[meetup_id]
        community = communities[content.community_id]
        member = await Member.get(id=row["member_id"])
        async with in_transaction():
            claimed = await Rsvp.filter(id=row["id"], reminded_at__isnull=True).update(reminded_at=now)
            if not claimed:
                continue
            # The start is kept as a moment in the recipient's zone, written in their language
            # when the notification is read or mailed (never as text formatted here).
            zone = viewer_zone(member, row["timezone"])
            start = as_datetime(row["starts_at"])
            if start is None:  # an unreadable start: nothing sensible to remind of
                continue
            starts = start.astimezone(ZoneInfo(zone))
            title = lazy_gettext("Reminder: \u201c{title}\u201d starts {when}.", title=content.title, when=starts)
            note = await notify(member, "meetups.reminder", title,
                                url=f"/c/{community.slug}/meetups/{content.id}",
                                community=community, content=content)
            sent += note is not None
    return sent
