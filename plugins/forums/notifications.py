"""Who hears of what: @mentions, replies, new topics, announcements, solutions.

Notifications are created with :func:`tisserand.notify.notify` (which checks the recipient may
see the item); the digests plugin delivers them. Only published items notify: a held post
notifies when a moderator approves it. Each text is written in the recipient's language.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import TYPE_CHECKING

from tisserand import i18n
from tisserand.i18n import lazy_gettext
from tisserand.markdown import extract_mentions
from tisserand.models import Community, Content, ContentStatus, Member, Membership, MembershipState
from tisserand.notify import notify
from tisserand.plugins.forums.models import Post, Topic, TopicState, Watch
from tisserand.plugins.forums.text import POST, TOPIC
from tisserand.plugins.forums.urls import content_path
from tisserand.site import current_site

if TYPE_CHECKING:
    pass


@contextlib.contextmanager
def language_of(member: Member) -> Iterator[None]:
    """Write in ``member``'s language (else the site's) inside the block."""
    language = i18n.normalize(member.locale) or current_site().settings.site.default_locale
    token = i18n.set_locale(language)
    try:
        yield
    finally:
        i18n._locale.reset(token)


async def _community(content: Content) -> Community:
    community = content.community
    if isinstance(community, Community):
        return community
    community = await Community.get(id=content.community_id)  # type: ignore[attr-defined]
    content.community = community
    return community


async def _author(content: Content) -> Member | None:
    author = content.author
    if isinstance(author, Member):
        return author
    if content.author_id is None:  # type: ignore[attr-defined]
        return None
    return await Member.get_or_none(id=content.author_id)  # type: ignore[attr-defined]


async def item_published(content: Content) -> None:
    """A forum item became visible (created published, or approved): tell who should know."""
    community = await _community(content)
    author = await _author(content)
    mentioned = await notify_mentions(content, community, author)
    if content.kind == TOPIC:
        await _new_topic(content, community, author, skip=mentioned)
    elif content.kind == POST:
        await _new_reply(content, community, author, skip=mentioned)
        await _live_reply(content, community, author)


async def _live_reply(content: Content, community: Community, author: Member | None) -> None:
    """Open pages of the topic hear of the reply (``topic:<id>`` live events)."""
    from tisserand.events import publish
    from tisserand.plugins.forums.service import topic_of

    topic_id = (content.meta or {}).get("topic") if content.kind == POST else None
    if topic_id is None:
        topic_id = await topic_of(content)
    if topic_id is not None:
        await publish(current_site(), f"topic:{topic_id}", "forum.reply",
                      {"id": content.id, "url": content_path(content), "author": author.name if author else ""},
                      community=community, content=content)


async def notify_mentions(content: Content, community: Community, author: Member | None) -> set[int]:
    """Tell members @mentioned in ``content`` and not told before; returns their ids."""
    if content.status != ContentStatus.PUBLISHED:
        return set()
    mentions = extract_mentions(content.body)
    if not mentions:
        return set()  # the common case: no row to read
    row: Topic | Post | None
    row = await (Topic if content.kind == TOPIC else Post).get_or_none(content_id=content.id)
    if row is None:
        return set()
    limit = current_site().plugin_settings("forums").max_mentions
    names = sorted(mentions - set(row.notified or []))[:limit]
    if not names:
        return set()
    told: set[int] = set()
    title = content.title or await _topic_title(content)
    for member in await Member.filter(username__in=names, is_active=True):
        with language_of(member):
            text = lazy_gettext("{name} mentioned you in “{title}”", name=author.name if author else "?", title=title)
        if await notify(member, "mention", text, url=content_path(content), actor=author,
                        community=community, content=content):
            told.add(member.id)
    row.notified = sorted(set(row.notified or []) | set(names))
    await row.save(update_fields=["notified"])
    return told


def _parent_in_hand(content: Content) -> Content | None:
    """The parent given when the item was created (no query), else None."""
    parent = content.parent
    return parent if isinstance(parent, Content) else None


async def _topic_title(content: Content) -> str:
    if content.kind == TOPIC:
        return content.title
    if (parent := _parent_in_hand(content)) is not None:
        return parent.title
    parent = await Content.get_or_none(id=content.parent_id).only("title")  # type: ignore[attr-defined]
    return parent.title if parent else ""


async def _new_reply(content: Content, community: Community, author: Member | None, *, skip: set[int]) -> None:
    meta = content.meta or {}
    topic = _parent_in_hand(content)
    if "reply_to" in meta and topic is not None:  # just written: the reply knows what it answers
        reply_to_id = meta["reply_to"]
    else:
        post = await Post.get_or_none(content_id=content.id)
        topic = await Content.get_or_none(id=content.parent_id)  # type: ignore[attr-defined]
        if post is None or topic is None:
            return
        reply_to_id = post.reply_to_id  # type: ignore[attr-defined]
    recipients: list[int] = []
    if reply_to_id is not None and reply_to_id != topic.id:
        answered = await Content.get_or_none(id=reply_to_id).only("author_id")
        if answered is not None and answered.author_id:  # type: ignore[attr-defined]
            recipients.append(answered.author_id)  # type: ignore[attr-defined]
    if topic.author_id:  # type: ignore[attr-defined]
        recipients.append(topic.author_id)  # type: ignore[attr-defined]
    watchers = await TopicState.filter(topic_id=topic.id, watching=True).values_list("member_id", flat=True)
    recipients.extend(watchers)
    seen = set(skip) | ({author.id} if author else set())
    ordered = [m for m in dict.fromkeys(recipients) if m not in seen]
    members = {m.id: m for m in await Member.filter(id__in=ordered)}
    for member_id in ordered:
        member = members.get(member_id)
        if member is None:
            continue
        with language_of(member):
            text = lazy_gettext("{name} replied in “{title}”", name=author.name if author else "?", title=topic.title)
        await notify(member, "forums.reply", text, url=content_path(content), actor=author,
                     community=community, content=content)


async def _new_topic(content: Content, community: Community, author: Member | None, *, skip: set[int]) -> None:
    topic = await Topic.get_or_none(content_id=content.id)
    if topic is None:
        return
    if topic.announcement:
        ids = await Membership.filter(community_id=community.id, state=MembershipState.ACTIVE).values_list(
            "member_id", flat=True)
        kind = "forums.announcement"
    else:
        query = Watch.filter(community_id=community.id)
        ids = [w.member_id for w in await query  # type: ignore[attr-defined]
               if w.category_id is None or w.category_id == topic.category_id]  # type: ignore[attr-defined]
        kind = "forums.topic"
    seen = set(skip) | ({author.id} if author else set())
    wanted = [m for m in dict.fromkeys(ids) if m not in seen]
    for member in await Member.filter(id__in=wanted):
        with language_of(member):
            if kind == "forums.announcement":
                text = lazy_gettext("Announcement in {community}: “{title}”", community=community.name, title=content.title)
            else:
                text = lazy_gettext("New topic in {community}: “{title}”", community=community.name, title=content.title)
        await notify(member, kind, text, url=content_path(content), actor=author, community=community,
                     content=content)


async def notify_solved(answer: Content, topic: Content, actor: Member | None) -> None:
    """Tell the author of an answer that it solved the topic."""
    author = await _author(answer)
    if author is None:
        return
    with language_of(author):
        text = lazy_gettext("Your answer solved “{title}”", title=topic.title)
    await notify(author, "forums.solved", text, url=content_path(answer), actor=actor,
                 community=await _community(answer), content=answer)
