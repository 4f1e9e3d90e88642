"""Who hears of what: replies, new topics, announcements, solutions.

Notifications are created with :func:`tisserand.notify.notify` (which checks the recipient may
see the item); the digests plugin delivers them. Only published items notify: a held post
notifies when a moderator approves it. Each text is written in the recipient's language.
@mentions are told by the core (:mod:`tisserand.mentions`) before these hooks run; a member
told of a mention in an item is not also told of it as a reply or a new topic.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import cast

from tisserand import i18n
from tisserand.db import fetch_all, model_from_row
from tisserand.events import Publication
from tisserand.i18n import lazy_gettext
from tisserand.mentions import KIND as MENTION
from tisserand.models import Community, Content, Member, Membership, MembershipState, Notification
from tisserand.notify import notify, notify_many
from tisserand.plugins.forums.models import Post, Topic, Watch
from tisserand.plugins.forums.text import POST, TOPIC
from tisserand.plugins.forums.urls import content_path
from tisserand.site import current_site


@contextlib.contextmanager
def language_of(member: Member) -> Iterator[None]:
    """Write in ``member``'s language (else the site's) inside the block."""
    language = i18n.normalize(member.locale) or current_site().settings.site.default_locale
    with i18n.use_locale(language):
        yield


async def _community(content: Content) -> Community:
    community = content.community
    if isinstance(community, Community):
        return community
    community = await Community.get(id=content.community_id)
    content.community = community
    return community


async def _author(content: Content) -> Member | None:
    author = content.author
    if isinstance(author, Member):
        return author
    if content.author_id is None:
        return None
    return await Member.get_or_none(id=content.author_id)


async def item_published(content: Content, mentioned: set[int] | None = None) -> None:
    """A forum item became visible (created published, or approved): tell who should know,
    but those told of an @mention in it (``mentioned``: known by the write, else looked up)."""
    community = await _community(content)
    author = await _author(content)
    if mentioned is None:
        mentioned = set(cast("list[int]", await Notification.filter(content_id=content.id, kind=MENTION)
                             .values_list("member_id", flat=True)))
    if content.kind == TOPIC:
        await _new_topic(content, community, author, skip=mentioned)
    elif content.kind == POST:
        await _new_reply(content, community, author, skip=mentioned)


async def _live_reply(content: Content, community: Community, author: Member | None) -> Publication | None:
    """The live event for open pages of the topic (``topic:<id>``), to publish."""
    from tisserand.plugins.forums.service import topic_of

    topic_id = (content.meta or {}).get("topic") if content.kind == POST else None
    if topic_id is None:
        topic_id = await topic_of(content)
    if topic_id is None:
        return None
    return Publication(f"topic:{topic_id}", "forum.reply",
                       {"id": content.id, "url": content_path(content), "author": author.name if author else ""},
                       community=community, content=content)


def _parent_in_hand(content: Content) -> Content | None:
    """The parent given when the item was created (no query), else None."""
    parent = content.parent
    return parent if isinstance(parent, Content) else None


async def _topic_title(content: Content) -> str:
    if content.kind == TOPIC:
        return content.title
    if (parent := _parent_in_hand(content)) is not None:
        return parent.title
    parent = await Content.get_or_none(id=content.parent_id).only("title")
    return parent.title if parent else ""


async def _new_reply(content: Content, community: Community, author: Member | None, *, skip: set[int]) -> None:
    meta = content.meta or {}
    topic = _parent_in_hand(content)
    if "reply_to" in meta and topic is not None:  # just written: the reply knows what it answers
        reply_to_id = meta["reply_to"]
    else:
        post = await Post.get_or_none(content_id=content.id)
        topic = await Content.get_or_none(id=content.parent_id)
        if post is None or topic is None:
            return
        reply_to_id = post.reply_to_id
    recipients: list[int] = []
    if reply_to_id is not None and reply_to_id != topic.id:
        answered = await Content.get_or_none(id=reply_to_id).only("author_id")
        if answered is not None and answered.author_id:
            recipients.append(answered.author_id)
    if topic.author_id:
        recipients.append(topic.author_id)
    seen = set(skip) | ({author.id} if author else set())
    # the members named, and the topic's watchers, in one raw query (no SQL built per reply)
    named = f"m.id IN ({', '.join('?' * len(recipients))}) OR " if recipients else ""
    unseen = f" AND m.id NOT IN ({', '.join('?' * len(seen))})" if seen else ""
    rows = await fetch_all(f"SELECT m.* FROM member m WHERE ({named}m.id IN (SELECT member_id FROM forum_topic_state "
                           f"WHERE topic_id = ? AND watching = ?)){unseen}", [*recipients, topic.id, True, *seen])
    found = [model_from_row(Member, row) for row in rows]
    first = {member_id: index for index, member_id in enumerate(dict.fromkeys(recipients))}
    members = sorted(found, key=lambda m: (first.get(m.id, len(first)), m.id))
    text = lazy_gettext("{name} replied in “{title}”", name=author.name if author else "?", title=topic.title)
    live = await _live_reply(content, community, author)
    await notify_many(members, "forums.reply", text, url=content_path(content) or "", actor=author,
                      community=community, content=content, events=[live] if live else [])


async def _new_topic(content: Content, community: Community, author: Member | None, *, skip: set[int]) -> None:
    topic = await Topic.get_or_none(content_id=content.id)
    if topic is None:
        return
    if topic.announcement:
        ids = cast("list[int]", await Membership.filter(
            community_id=community.id, state=MembershipState.ACTIVE).values_list("member_id", flat=True))
        kind = "forums.announcement"
    else:
        query = Watch.filter(community_id=community.id)
        ids = [w.member_id for w in await query
               if w.category_id is None or w.category_id == topic.category_id]
        kind = "forums.topic"
    seen = set(skip) | ({author.id} if author else set())
    wanted = [m for m in dict.fromkeys(ids) if m not in seen]
    for member in await Member.filter(id__in=wanted):
        with language_of(member):
            if kind == "forums.announcement":
                text = lazy_gettext("Announcement in {community}: “{title}”", community=community.name, title=content.title)
            else:
                text = lazy_gettext("New topic in {community}: “{title}”", community=community.name, title=content.title)
        await notify(member, kind, text, url=content_path(content) or "", actor=author, community=community,
                     content=content)


async def notify_solved(answer: Content, topic: Content, actor: Member | None) -> None:
    """Tell the author of an answer that it solved the topic."""
    author = await _author(answer)
    if author is None:
        return
    with language_of(author):
        text = lazy_gettext("Your answer solved “{title}”", title=topic.title)
    await notify(author, "forums.solved", text, url=content_path(answer) or "", actor=actor,
                 community=await _community(answer), content=answer)
