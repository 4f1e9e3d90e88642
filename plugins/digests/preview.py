"""The preview of a member's next digest: what it holds so far in the period in progress."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tisserand.plugins.digests.build import Builder, batch_memberships, batch_notifications
from tisserand.plugins.digests.periods import current_window, zone
from tisserand.plugins.digests.preferences import global_frequency
from tisserand.plugins.digests.render import render_digest
from tisserand.plugins.digests.settings import PERIODS
from tisserand.plugins.digests.unsubscribe import make_token, page_url

if TYPE_CHECKING:
    from tisserand.models import Member
    from tisserand.site import Site


async def preview(site: Site, member: Member, period: str | None = None) -> dict[str, Any]:
    """``{period, since, until, subscribed, empty, subject, html, text, items, digest}`` for
    the member's next digest of ``period`` (their own frequency when not given). When they get
    no digest at that frequency, the preview shows all their communities, flagged
    ``subscribed: false``."""
    chosen = await global_frequency(site, member)
    period = period or (chosen if chosen in PERIODS else "weekly")
    # The same selection as a real run (active memberships of active communities at this
    # frequency): a preview never shows a community that the digest leaves out.
    ids = (await batch_memberships(site, [member.id], period)).get(member.id, [])
    subscribed = bool(ids) or chosen == period
    if not subscribed:
        ids = (await batch_memberships(site, [member.id], None)).get(member.id, [])
    window = current_window(period, tz=zone(site.settings.site.timezone))
    notifications = (await batch_notifications([member.id], window)).get(member.id, [])
    digest = await Builder(site, window).build(member, ids, notifications, period)
    token = make_token(site, member.id, -1)  # a sample link: a preview never carries a working one
    subject, html, text = render_digest(site, digest, page_url(site, token))
    return {"period": period, "since": window.since, "until": window.until, "subscribed": subscribed,
            "empty": digest.empty, "items": digest.item_count, "subject": subject, "html": html,
            "text": text, "digest": digest}
