"""Every forum write, for pages and API alike: checks rights, then goes through the core pipeline.

Functions take the viewer's :class:`~tisserand.web.community.CommunityView`, so the same rules
hold whatever the door: archived communities are read-only, observers read only, locked topics
refuse replies, authors edit within the window.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from tortoise.exceptions import IntegrityError

from tisserand.communities import audit
from tisserand.content import WriteContext, create_content, set_status, update_content
from tisserand.db import dialect, execute, fetch_one, model_from_row
from tisserand.errors import Conflict, Forbidden, ValidationFailed, nothing_here
from tisserand.i18n import _
from tisserand.models import Content, ContentStatus
from tisserand.plugins.forums.models import Category, Reaction, Topic, TopicState, Watch
from tisserand.plugins.forums.text import POST, REACTION_KINDS, TOPIC, slugify
from tisserand.site import current_site
from tisserand.visibility import can_see_content_status

if TYPE_CHECKING:
    from tisserand.web.community import CommunityView

TITLE_MAX = 200


def settings() -> Any:
    """The forum's validated settings."""
    return current_site().plugin_settings("forums")


# --- reading one item, with the visibility rules ------------------------------------------


async def get_item(view: CommunityView, content_id: int, kinds: tuple[str, ...] = (TOPIC, POST)) -> Content:
    """A topic or post of this community that the viewer may see, or 404."""
    content = await Content.get_or_none(id=content_id, community_id=view.community.id, kind__in=kinds)
    if content is None or not can_see_content_status(view.viewer, content, view.is_staff):
        raise nothing_here()
    content.community = view.community
    return content


async def get_topic(view: CommunityView, topic_id: int) -> tuple[Content, Topic]:
    """A topic (content and forum row) the viewer may see, or 404."""
    topic = await Topic.filter(content_id=topic_id, community_id=view.community.id).select_related(
        "content").first()  # one query for both rows
    content = topic.content if topic is not None else None
    if topic is None or content is None or content.kind != TOPIC or not can_see_content_status(
            view.viewer, content, view.is_staff):
        raise nothing_here()
    content.community = view.community
    return content, topic


def _check_text(title: str | None, body: str) -> None:
    fields: dict[str, str] = {}
    if title is not None:
        title = title.strip()
        if len(title) < 3:
            fields["title"] = _("Give the topic a title of at least 3 characters.")
        elif len(title) > TITLE_MAX:
            fields["title"] = _("The title is too long ({limit} characters at most).", limit=TITLE_MAX)
    if not body.strip():
        fields["body"] = _("Write a message first.")
    if fields:
        raise ValidationFailed(next(iter(fields.values())), fields=fields)


async def find_category(view: CommunityView, slug: str | None) -> Category | None:
    """The category ``slug`` of this community (None for no category), or 422."""
    if not slug:
        return None
    category = await Category.get_or_none(community_id=view.community.id, slug=slug)
    if category is None:
        raise ValidationFailed(_("There is no such category."), fields={"category": _("Unknown category.")})
    return category


# --- topics and replies --------------------------------------------------------------------


async def create_topic(view: CommunityView, *, title: str, body: str, category: str | None = None,
                       announcement: bool = False) -> Content:
    """Start a topic (held for review or published, as the ``content_check`` hooks decide)."""
    view.require("forums.topic.create")
    if announcement:
        view.require("forums.topic.announce")
    _check_text(title, body)
    found = await find_category(view, category)
    community = view.community
    slug = slugify(title)

    async def save_related(content: Content) -> None:
        await Topic.create(content=content, community=community, category=found, slug=slug,
                           announcement=announcement, bumped_at=content.created_at,
                           last_poster_id=content.author_id)
        await refresh_topic(content.id)

    assert view.viewer is not None
    return await create_content(kind=TOPIC, community=community, author=view.viewer, title=title,
                                body=body, meta={"cslug": community.slug, "tslug": slug},
                                save_related=save_related)


async def reply(view: CommunityView, topic_id: int, *, body: str, reply_to: int | None = None) -> Content:
    """Reply in a topic; ``reply_to`` is the post (or the topic) answered."""
    view.require("forums.post.create")
    # the topic's content row and the forum fields a reply needs, in one raw query (no SQL built)
    row = await fetch_one("SELECT c.*, t.id AS forum_topic_id, t.slug AS forum_topic_slug, "
                          "t.locked AS forum_topic_locked FROM forum_topic t JOIN content c ON c.id = t.content_id "
                          "WHERE t.content_id = ? AND t.community_id = ?", [topic_id, view.community.id])
    if row is None or row["kind"] != TOPIC:
        raise nothing_here()
    topic_content = model_from_row(Content, row)
    if not can_see_content_status(view.viewer, topic_content, view.is_staff):
        raise nothing_here()
    topic_content.community = view.community
    topic_row_id, topic_slug = int(row["forum_topic_id"]), str(row["forum_topic_slug"])
    if topic_content.status != ContentStatus.PUBLISHED:
        raise Conflict(_("This topic is not published: it cannot receive replies."))
    if row["forum_topic_locked"] and not view.can("forums.topic.lock"):
        raise Conflict(_("This topic is locked: it no longer accepts replies."), code="locked")
    _check_text(None, body)
    target: int | None = None
    if reply_to and reply_to != topic_content.id:
        answered = await fetch_one("SELECT 1 AS found FROM forum_post WHERE content_id = ? AND topic_id = ?",
                                   [reply_to, topic_content.id])
        if answered is None:
            raise ValidationFailed(_("The message you reply to is not in this topic."),
                                   fields={"reply_to": _("Not a message of this topic.")})
        target = reply_to
    elif reply_to:
        target = topic_content.id
    meta = {"cslug": view.community.slug, "tslug": topic_slug, "topic": topic_content.id}

    async def number_it(content: Content, write: WriteContext) -> None:  # stored with the reply's row
        number, touched = await count_reply(topic_row_id, content)
        content.meta = {**meta, "n": number}
        write.parent_touched = touched and topic_content.parent_id is None  # a topic has no parent

    async def save_related(content: Content) -> None:
        await execute("INSERT INTO forum_post (content_id, topic_id, reply_to_id, number, notified) "
                      "VALUES (?, ?, ?, ?, ?)", [content.id, topic_content.id, target, content.meta["n"], "[]"])
        content.meta = {**content.meta, "reply_to": target}  # for the answer only (not stored)

    assert view.viewer is not None
    return await create_content(kind=POST, community=view.community, author=view.viewer, body=body,
                                parent=topic_content, meta=meta, before_save=number_it,
                                save_related=save_related)


def edit_deadline(content: Content) -> datetime | None:
    """Until when the author may edit ``content`` (None: no limit)."""
    minutes = settings().edit_window_minutes
    if not minutes:
        return None
    return content.created_at + timedelta(minutes=minutes)


def may_edit(view: CommunityView, content: Content) -> bool:
    """May the viewer edit this post now?"""
    if view.viewer is None or content.status == ContentStatus.DELETED:
        return False
    if view.can("forums.post.edit_any"):
        return True
    if content.author_id != view.viewer.id or content.status == ContentStatus.HIDDEN:
        return False
    if not view.can("forums.post.create"):
        return False
    deadline = edit_deadline(content)
    return deadline is None or datetime.now(UTC) <= deadline


async def edit(view: CommunityView, content_id: int, *, body: str, title: str | None = None,
               category: str | None = None) -> Content:
    """Edit a topic (title, text, category) or a reply; the post shows "edited" afterwards."""
    content = await get_item(view, content_id)
    if not may_edit(view, content):
        view.require("forums.post.create")  # archived or observer: the clearer message
        if content.author_id == getattr(view.viewer, "id", None):
            raise Forbidden(_("The time to edit this message is over."))
        raise Forbidden(_("You may only edit your own messages."))
    is_topic = content.kind == TOPIC
    _check_text(title if is_topic else None, body)
    save_related = None
    if is_topic:
        new_category = None
        if category is not None and view.can("forums.post.edit_any"):
            new_category = await find_category(view, category)
        new_slug = slugify(title or content.title)

        async def save_topic(saved: Content) -> None:
            changes: dict[str, Any] = {"slug": new_slug}
            if category is not None and view.can("forums.post.edit_any"):
                changes["category_id"] = new_category.id if new_category else None
            await Topic.filter(content_id=saved.id).update(**changes)
            saved.meta = {**(saved.meta or {}), "tslug": new_slug}
            await Content.filter(id=saved.id).update(meta=saved.meta)
            await refresh_topic(saved.id)

        save_related = save_topic
    else:
        async def bump_topic(saved: Content) -> None:  # in the transaction: no stale cached page after
            await bump(await topic_of(saved))

        save_related = bump_topic
    assert view.viewer is not None
    return await update_content(content, editor=view.viewer, title=title if is_topic else None,
                                body=body, save_related=save_related)


async def delete(view: CommunityView, content_id: int, *, reason: str = "") -> Content:
    """Soft-delete a post (its author, or staff); deleting the opening post deletes the topic."""
    content = await get_item(view, content_id)
    own = view.viewer is not None and content.author_id == view.viewer.id
    if not (own and view.can("forums.post.create")):
        view.require("forums.post.delete_any")
    return await set_status(content, ContentStatus.DELETED, actor=view.viewer, reason=reason)


async def restore(view: CommunityView, content_id: int) -> Content:
    """Bring a deleted post back (staff)."""
    view.require("forums.post.delete_any")
    content = await get_item(view, content_id)
    if content.status != ContentStatus.DELETED:
        raise Conflict(_("This message is not deleted."))
    return await set_status(content, ContentStatus.PUBLISHED, actor=view.viewer)


# --- reactions, solutions, flags -----------------------------------------------------------


async def react(view: CommunityView, content_id: int, kind: str, on: bool | None = None) -> bool:
    """Add, remove or (``on=None``) toggle the viewer's reaction; returns whether it is on."""
    view.require("forums.post.react")
    if kind not in REACTION_KINDS:
        raise ValidationFailed(_("Unknown reaction."), fields={"kind": ", ".join(sorted(REACTION_KINDS))})
    content = await get_item(view, content_id)
    if content.status != ContentStatus.PUBLISHED:
        raise Conflict(_("You can only react to published messages."))
    assert view.viewer is not None
    existing = await Reaction.get_or_none(content_id=content.id, member_id=view.viewer.id, kind=kind)
    if on is None:
        on = existing is None
    if on and content.author_id == view.viewer.id:
        raise Forbidden(_("You cannot react to your own message."), code="own_content")
    if on and existing is None:
        try:
            await Reaction.create(content_id=content.id, member_id=view.viewer.id, kind=kind)
        except IntegrityError:
            pass  # a double click: the reaction is there, which is what was asked
    elif not on and existing is not None:
        await existing.delete()
    await bump(await topic_of(content))
    return on


def may_solve(view: CommunityView, topic_content: Content) -> bool:
    """May the viewer choose the answer that solved this topic?"""
    if view.can("forums.topic.solve_any"):
        return True
    own = view.viewer is not None and topic_content.author_id == view.viewer.id
    return own and view.can("forums.post.create")


async def set_solution(view: CommunityView, topic_id: int, post_id: int | None) -> Topic:
    """Mark ``post_id`` as the answer that solved the topic (None to unmark)."""
    topic_content, topic = await get_topic(view, topic_id)
    if not may_solve(view, topic_content):
        view.require("forums.topic.solve_any")
    answer = None
    if post_id is not None:
        answer = await Content.get_or_none(id=post_id, parent_id=topic_content.id, kind=POST,
                                           status=ContentStatus.PUBLISHED)
        if answer is None:
            raise ValidationFailed(_("Choose a published reply of this topic."),
                                   fields={"post": _("Not a reply of this topic.")})
    topic.solved_post_id = post_id
    await topic.save(update_fields=["solved_post_id"])
    await bump(topic_id)
    if answer is not None:
        from tisserand.plugins.forums.notifications import notify_solved

        answer.community = view.community
        await notify_solved(answer, topic_content, view.viewer)
    return topic


FLAG_PERMISSIONS = {"pinned": "forums.topic.pin", "locked": "forums.topic.lock",
                    "announcement": "forums.topic.announce"}


async def set_flags(view: CommunityView, topic_id: int, **flags: bool | None) -> Topic:
    """Pin, lock or mark as announcement (each with its permission); None leaves a flag alone."""
    _content, topic = await get_topic(view, topic_id)
    changed = []
    for name, value in flags.items():
        if value is None:
            continue
        if name not in FLAG_PERMISSIONS:
            raise ValidationFailed(_("Unknown setting: {name}.", name=name))
        view.require(FLAG_PERMISSIONS[name])
        if getattr(topic, name) != value:
            setattr(topic, name, value)
            changed.append(name)
    if changed:
        await topic.save(update_fields=changed)
        await bump(topic_id)
        for name in changed:
            await audit(view.viewer, view.community, f"forums.topic.{name}", target_kind=TOPIC,
                        target_id=topic_id, data={"value": getattr(topic, name)})
    return topic


async def move(view: CommunityView, topic_id: int, category: str | None) -> Topic:
    """Move a topic to another category (staff)."""
    view.require("forums.post.edit_any")
    _content, topic = await get_topic(view, topic_id)
    found = await find_category(view, category)
    topic.category_id = found.id if found else None
    await topic.save(update_fields=["category_id"])
    return topic


# --- watching and reading ------------------------------------------------------------------


async def watch_forum(view: CommunityView, category: Category | None, on: bool) -> None:
    """Be told (or stop being told) of new topics in the forum or one category."""
    if view.viewer is None:
        view.require("forums.post.create")
    if not view.is_member and not (view.viewer and view.viewer.is_admin):
        raise Forbidden(_("Join the community to follow its forum."))
    assert view.viewer is not None
    existing = Watch.filter(community_id=view.community.id, member_id=view.viewer.id,
                            category_id=category.id if category else None)
    if on and not await existing.exists():
        await Watch.create(community_id=view.community.id, member_id=view.viewer.id,
                           category_id=category.id if category else None)
    elif not on:
        await existing.delete()


async def watch_topic(view: CommunityView, topic_id: int, on: bool) -> None:
    """Be told (or not) of every reply in a topic."""
    if view.viewer is None:
        view.require("forums.post.create")
    assert view.viewer is not None
    await get_topic(view, topic_id)
    state, _created = await TopicState.get_or_create(topic_id=topic_id, member_id=view.viewer.id)
    state.watching = on
    await state.save(update_fields=["watching", "updated_at"])


async def mark_read(member_id: int, topic_id: int, number: int) -> None:
    """Move the member's read position in a topic forward to ``number`` (never backward)."""
    now = datetime.now(UTC)
    await execute(
        "INSERT INTO forum_topic_state (topic_id, member_id, last_read_number, watching, updated_at) "
        "VALUES (?, ?, ?, ?, ?) ON CONFLICT (topic_id, member_id) DO UPDATE SET "
        "last_read_number = CASE WHEN excluded.last_read_number > forum_topic_state.last_read_number "
        "THEN excluded.last_read_number ELSE forum_topic_state.last_read_number END, "
        "updated_at = excluded.updated_at",
        [topic_id, member_id, number, False, now])


# --- counters --------------------------------------------------------------------------------


async def count_reply(topic_row_id: int, content: Content) -> tuple[int, bool]:
    """Number a new reply (before it is inserted) and count it in its topic, in two statements
    whatever the topic's size; returns the number, and whether the topic's ``activity_at`` was
    moved too (PostgreSQL).

    If published: first one upsert of the author's participant row (its ``post_count`` tells
    whether the author is new to the topic), then one update of the topic row (next number,
    reply count, latest number, bump time, last poster, participants); on PostgreSQL both in one
    statement, with the topic's ``activity_at``. The topic row is locked from that update to the commit, so it comes last but for
    the reply's own rows."""
    published = content.status == ContentStatus.PUBLISHED
    if not published:
        row = await fetch_one("UPDATE forum_topic SET post_seq = post_seq + 1, version = version + 1 "
                              "WHERE id = ? RETURNING post_seq", [topic_row_id])
        assert row is not None
        return int(row["post_seq"]), False
    author_id = content.author_id
    when = content.created_at
    topic_id = content.parent_id
    upsert = ("INSERT INTO forum_participant (topic_id, member_id, post_count, last_posted_at) VALUES (?, ?, 1, ?) "
              "ON CONFLICT (topic_id, member_id) DO UPDATE SET post_count = forum_participant.post_count + 1, "
              "last_posted_at = excluded.last_posted_at RETURNING post_count")
    counters = ("UPDATE forum_topic SET post_seq = post_seq + 1, highest_number = post_seq + 1, "
                "reply_count = reply_count + 1, bumped_at = ?, last_poster_id = ?, version = version + 1, "
                "participant_count = participant_count + {new} WHERE id = ? RETURNING post_seq")
    if dialect() == "postgres":  # one statement: the upsert's row, the topic's, then its activity
        row = await fetch_one(
            f"WITH mine AS ({upsert}), touched AS (UPDATE content SET activity_at = ? WHERE id = ?) "
            + counters.format(new="(SELECT CASE WHEN post_count = 1 THEN 1 ELSE 0 END FROM mine)"),
            [topic_id, author_id, when, when, topic_id, when, author_id, topic_row_id])
        assert row is not None
        return int(row["post_seq"]), True
    mine = await fetch_one(upsert, [topic_id, author_id, when])
    new_participant = 1 if mine is not None and int(mine["post_count"]) == 1 else 0
    row = await fetch_one(counters.format(new="?"), [when, author_id, new_participant, topic_row_id])
    assert row is not None
    return int(row["post_seq"]), False


async def refresh_topic(topic_id: int) -> None:
    """Recompute a topic's counters and participants from its published posts."""
    published = "status = 'published'"
    await execute(
        "UPDATE forum_topic SET "
        f"reply_count = (SELECT count(*) FROM content WHERE parent_id = ? AND kind = 'forum.post' AND {published}), "
        "highest_number = coalesce((SELECT max(p.number) FROM forum_post p JOIN content c ON c.id = p.content_id "
        f"WHERE p.topic_id = ? AND c.{published}), 1), "
        "bumped_at = coalesce((SELECT max(created_at) FROM content WHERE parent_id = ? AND kind = 'forum.post' "
        f"AND {published}), (SELECT created_at FROM content WHERE id = ?)), "
        "last_poster_id = coalesce((SELECT author_id FROM content WHERE parent_id = ? AND kind = 'forum.post' "
        f"AND {published} ORDER BY id DESC LIMIT 1), (SELECT author_id FROM content WHERE id = ?)) "
        "WHERE content_id = ?",
        [topic_id] * 7)
    await execute("DELETE FROM forum_participant WHERE topic_id = ?", [topic_id])
    await execute(
        "INSERT INTO forum_participant (topic_id, member_id, post_count, last_posted_at) "
        "SELECT CAST(? AS INTEGER), author_id, count(*), max(created_at) FROM content "
        f"WHERE (id = ? OR (parent_id = ? AND kind = 'forum.post')) AND {published} "
        "AND author_id IS NOT NULL GROUP BY author_id",
        [topic_id, topic_id, topic_id])
    await execute(
        "UPDATE forum_topic SET participant_count = (SELECT count(*) FROM forum_participant "
        "WHERE topic_id = ?), version = version + 1 WHERE content_id = ?", [topic_id, topic_id])


async def bump(topic_id: int | None) -> None:
    """Mark the topic page as changed (its cached replies are then rendered again)."""
    if topic_id is not None:
        await execute("UPDATE forum_topic SET version = version + 1 WHERE content_id = ?", [topic_id])


async def topic_of(content: Content) -> int | None:
    """The topic id of a forum item (itself for a topic)."""
    if content.kind == TOPIC:
        return int(content.id)
    row = await fetch_one("SELECT topic_id FROM forum_post WHERE content_id = ?", [content.id])
    return int(row["topic_id"]) if row else None
