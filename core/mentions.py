"""@mentions: a member named as ``@username`` in published content hears of it, once.

The core owns this for every kind of content: the Markdown renderer links ``@username`` and the
pipeline (:mod:`tisserand.content`) calls :func:`notify_mentions` after a published item is
saved, and when a held item is approved, before the ``content_saved`` and
``content_status_changed`` hooks run (``WriteContext.mentioned`` tells those hooks who was told,
e.g. so that the forums do not also send them a "new reply" notification). The in-app
notification has kind ``mention``; the digests plugin delivers it by mail like any other.

:func:`tisserand.notify.notify` refuses members who may not see the content (an outsider
mentioned in a private community learns nothing). A member is told once per content item: an
edit tells only the newly mentioned. Names inside quotes are not new mentions. An item whose
``meta`` holds ``"mentions": false`` tells nobody (a call to all, which reaches everyone anyway).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from tisserand.db import fetch_one
from tisserand.i18n import lazy_gettext
from tisserand.markdown import extract_mentions, plain_excerpt
from tisserand.models import Community, ContentStatus, Member, Notification
from tisserand.notify import notify

if TYPE_CHECKING:
    from tisserand.models import Content
    from tisserand.site import Site

__all__ = ["KIND", "MAX_MENTIONS", "notify_mentions"]

log = logging.getLogger("tisserand.mentions")
#: The notification kind.
KIND = "mention"
#: More names than this in one text looks like a mass-mention: only the first ones are told.
MAX_MENTIONS = 20


async def notify_mentions(site: Site, content: Content) -> set[int]:
    """Notify the members newly mentioned in a published ``content``; returns the ids of those
    told now. Failures are logged, never raised: the item is saved already."""
    try:
        return await _notify(site, content)
    except Exception:
        log.exception("mentions of content %s could not be notified", content.id)
        return set()


async def _notify(site: Site, content: Content) -> set[int]:
    if content.status != ContentStatus.PUBLISHED or (content.meta or {}).get("mentions") is False:
        return set()
    usernames = sorted(extract_mentions(content.body))[:MAX_MENTIONS]
    if not usernames:
        return set()
    author_id = content.author_id
    members = await Member.filter(username__in=usernames, is_active=True).exclude(id=author_id or 0)
    if not members:
        return set()
    done = set(await Notification.filter(content_id=content.id, kind=KIND,
                                         member_id__in=[m.id for m in members]).values_list("member_id", flat=True))
    author = await Member.get_or_none(id=author_id) if author_id else None
    community = content.community if isinstance(content.community, Community) else \
        await Community.get(id=content.community_id)
    url = site.hook.content_url(content=content) or ""
    what = await _subject(content)
    name = author.name if author else "?"
    excerpt = plain_excerpt(content.html, 280, is_html=True)
    told: set[int] = set()
    for member in members:
        if member.id in done:
            continue
        title = (lazy_gettext("{name} mentioned you in “{title}”", name=name, title=what) if what
                 else lazy_gettext("{name} mentioned you in {community}", name=name, community=community.name))
        if await notify(member, KIND, title, text=excerpt, url=url, actor=author, community=community,
                        content=content, site=site) is not None:
            told.add(member.id)
    return told


async def _subject(content: Content) -> str:
    """The title to name in the notification: the item's, else its parent's (a reply)."""
    if content.title:
        return content.title
    if content.parent_id is None:
        return ""
    row = await fetch_one("SELECT title FROM content WHERE id = ?", [content.parent_id])
    return str(row["title"] or "") if row else ""
