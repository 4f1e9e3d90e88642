"""A member's personal "my meet-ups" calendar at ``/feeds/{secret}/meetups.ics``: for a
calendar app, without a cookie (the secret from :mod:`tisserand.feeds` is the key).

What it holds: every date, from 30 days ago on, of

- the meet-ups the member answered *yes*, *maybe* or is waiting for (in any community they may
  still read), and
- the meet-ups of the communities they are an active member of,

published, in communities where the plugin is switched on. Each date is its own event (with
its own UID), so a series shows every date. The online link is given for the dates the member
is going to. A reset of the secret (``POST /api/v1/me/feeds/reset``) kills the old address.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from tisserand.db import fetch_all
from tisserand.errors import NotFound
from tisserand.feeds import member_for_feed_secret
from tisserand.i18n import _, use_locale
from tisserand.models import Member
from tisserand.site import current_site
from tisserand.visibility import readable_community_ids_sql

from . import ical
from .queries import MEETUP_COLUMNS, _meetup, _plugin_on
from .times import utcnow

ANSWERED = ("going", "waitlisted", "maybe")
LIMIT = 1000


async def my_meetups(member: Member, *, days_back: int = 30) -> list[dict[str, Any]]:
    """The rows of the member's calendar (see the module's docstring), soonest first; one query."""
    visible, visible_params = readable_community_ids_sql(member)
    marks = ", ".join("?" for _ in ANSWERED)
    rows = await fetch_all(
        f"SELECT {MEETUP_COLUMNS}, m.online_url AS online_link, m.sequence, c.body, r.state AS my_state, "
        "cm.slug, cm.plugins FROM meetups_meetup m JOIN content c ON c.id = m.id "
        "JOIN community cm ON cm.id = m.community_id "
        "LEFT JOIN meetups_rsvp r ON r.meetup_id = m.id AND r.member_id = ? "
        f"WHERE m.ends_at > ? AND c.status = 'published' AND {visible} "
        f"AND (r.state IN ({marks}) OR cm.id IN (SELECT ms.community_id FROM membership ms "
        "WHERE ms.member_id = ? AND ms.state = 'active')) "
        f"ORDER BY m.starts_at, m.id LIMIT {LIMIT}",
        [member.id, utcnow() - timedelta(days=days_back), *visible_params, *ANSWERED, member.id])
    found = []
    for row in rows:
        if not _plugin_on(row.pop("plugins")):
            continue
        link, sequence, body, state = (row.pop("online_link"), row.pop("sequence"), row.pop("body"),
                                       row.pop("my_state"))
        item = _meetup(row)
        item.update(online_url=link or "", sequence=sequence, body=body or "", my_state=state,
                    url=f"/c/{item['slug']}/meetups/{item['id']}")
        found.append(item)
    return found


async def my_calendar(request: Request) -> Response:
    """``/feeds/{secret}/meetups.ics``: the member's meet-ups as an iCalendar feed."""
    member = await member_for_feed_secret(request.path_params["secret"])
    if member is None:
        raise NotFound(_("This feed address is not valid any more: copy the new one from your account page."))
    items = await my_meetups(member)
    site = current_site()
    with use_locale(member.locale or site.settings.site.default_locale):
        name = _("My meet-ups · {site}", site=site.settings.site.name)
    body = ical.build_calendar(items, name=name, base_url=site.settings.site.base_url,
                               online_for={i["id"] for i in items if i["my_state"] == "going"})
    return Response(body, media_type="text/calendar; charset=utf-8",
                    headers={"Content-Disposition": 'inline; filename="my-meetups.ics"',
                             "Cache-Control": "private, no-store", "X-Robots-Tag": "noindex"})
