"""@mentions: a member named as ``@username`` in published content hears of it, once.

The core's :func:`tisserand.notify.notify` refuses members who may not see the content (an
outsider mentioned in a private community learns nothing). A mention is remembered per content
item and member, so editing a post does not notify again, and a held post notifies when a
moderator approves it.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from tortoise.exceptions import IntegrityError

from tisserand.db import fetch_one
from tisserand.i18n import lazy_gettext
from tisserand.markdown import extract_mentions, plain_excerpt
from tisserand.models import Community, ContentStatus, Member, Notification
from tisserand.notify import notify
from tisserand.plugins.digests.models import Mention
from tisserand.plugins.digests.render import language, member_language

if TYPE_CHECKING:
    from tisserand.models import Content
    from tisserand.site import Site

log = logging.getLogger("tisserand.digests")
#: More names than this in one text looks like a mass-mention: only the first ones are told.
MAX_MENTIONS = 20
SKIPPED_KINDS = {"digests.call"}  # a call to all reaches everyone already


def content_link(site: Site, content: Content) -> str:
    """The page of ``content`` according to the plugin that owns its kind."""
    return site.hook.content_url(content=content) or ""


async def notify_mentions(site: Site, content: Content) -> int:
    """Notify the members newly mentioned in ``content``; returns how many were told."""
    if content.status != ContentStatus.PUBLISHED or content.kind in SKIPPED_KINDS:
        return 0
    usernames = sorted(extract_mentions(content.body))[:MAX_MENTIONS]
    if not usernames:
        return 0
    author_id = content.author_id  # type: ignore[attr-defined]
    members = await Member.filter(username__in=usernames, is_active=True).exclude(id=author_id or 0)
    if not members:
        return 0
    ids = [m.id for m in members]
    done = set(await Mention.filter(content_id=content.id, member_id__in=ids).values_list("member_id", flat=True))
    # Another plugin may have told them already (same kind, same content): never twice.
    done |= set(await Notification.filter(content_id=content.id, member_id__in=ids, kind="mention")
                .values_list("member_id", flat=True))
    author = await Member.get_or_none(id=author_id) if author_id else None
    community = content.community if isinstance(content.community, Community) else \
        await Community.get(id=content.community_id)  # type: ignore[attr-defined]
    url = content_link(site, content)
    what = await _subject(content)
    told = 0
    for member in members:
        if member.id in done:
            continue
        try:
            mention = await Mention.create(content_id=content.id, member_id=member.id)
        except IntegrityError:  # another save of the same content got there first
            continue
        with language(member_language(site, member)):
            if what:
                title = lazy_gettext("{name} mentioned you in “{title}”", name=author.name if author else "?",
                                     title=what)
            else:
                title = lazy_gettext("{name} mentioned you in {community}", name=author.name if author else "?",
                                     community=community.name)
        excerpt = plain_excerpt(content.html, 280, is_html=True)
        sent = await notify(member, "mention", title, text=excerpt, url=url, actor=author,
                            community=community, content=content, site=site)
        if sent is None:
            await mention.delete()  # not allowed to see it now: may be told after a later edit
        else:
            told += 1
    return told


async def _subject(content: Content) -> str:
    """The title to name in the notification: the item's, else its parent's (a reply)."""
    if content.title:
        return content.title
    parent_id = content.parent_id  # type: ignore[attr-defined]
    if parent_id is None:
        return ""
    row = await fetch_one("SELECT title FROM content WHERE id = ?", [parent_id])
    return str(row["title"]) if row else ""
