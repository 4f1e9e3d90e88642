"""The forum's part of a community's archive bundle: ``forums/*.jsonl`` rows of its own tables.

Topics and posts themselves are core Content rows, exported and imported by the core; these files
keep what only the forum knows (categories, flags, numbers, reply links, reactions, read
positions and follows), with the exported ids mapped back on import.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tisserand.db import fetch_all
from tisserand.plugins.forums.models import Category, Post, Reaction, Topic, TopicState, Watch
from tisserand.plugins.forums.service import refresh_topic
from tisserand.plugins.forums.text import as_datetime

if TYPE_CHECKING:
    from tisserand.bundle import Bundle
    from tisserand.models import Community

FILES = {
    "categories": "forums/categories.jsonl",
    "topics": "forums/topics.jsonl",
    "posts": "forums/posts.jsonl",
    "reactions": "forums/reactions.jsonl",
    "states": "forums/topic_states.jsonl",
    "watches": "forums/watches.jsonl",
}


async def export_forum(community: Community, bundle: Bundle) -> None:
    """Write the forum's rows of ``community``."""
    cid = [community.id]
    bundle.write_jsonl(FILES["categories"], await fetch_all(
        "SELECT id, slug, name, description, position FROM forum_category WHERE community_id = ? "
        "ORDER BY position, id", cid))
    bundle.write_jsonl(FILES["topics"], await fetch_all(
        "SELECT content_id, category_id, slug, pinned, locked, announcement, solved_post_id, post_seq, notified "
        "FROM forum_topic WHERE community_id = ? ORDER BY content_id", cid))
    bundle.write_jsonl(FILES["posts"], await fetch_all(
        "SELECT p.content_id, p.topic_id, p.reply_to_id, p.number, p.notified FROM forum_post p "
        "JOIN content c ON c.id = p.content_id WHERE c.community_id = ? ORDER BY p.content_id", cid))
    reactions = await fetch_all(
        "SELECT r.content_id, r.member_id, r.kind, r.created_at FROM forum_reaction r "
        "JOIN content c ON c.id = r.content_id WHERE c.community_id = ? ORDER BY r.id", cid)
    states = await fetch_all(
        "SELECT s.topic_id, s.member_id, s.last_read_number, s.watching FROM forum_topic_state s "
        "JOIN content c ON c.id = s.topic_id WHERE c.community_id = ? ORDER BY s.id", cid)
    watches = await fetch_all(
        "SELECT w.category_id, w.member_id FROM forum_watch w WHERE w.community_id = ? ORDER BY w.id", cid)
    for row in (*reactions, *states, *watches):
        bundle.include_member(row["member_id"])
    bundle.write_jsonl(FILES["reactions"], reactions)
    bundle.write_jsonl(FILES["states"], states)
    bundle.write_jsonl(FILES["watches"], watches)


def _rows(bundle: Bundle, key: str) -> Any:
    return bundle.read_jsonl(FILES[key]) if FILES[key] in bundle.names() else []


def _mapped(bundle: Bundle, old: int | None) -> int | None:
    if old is None:
        return None
    return bundle.content_ids.get(old)


def _notified(value: Any) -> list[str]:
    from tisserand.plugins.forums.text import as_json

    return list(as_json(value, []))


async def import_forum(community: Community, bundle: Bundle) -> None:
    """Recreate the forum's rows in the freshly imported ``community``."""
    categories: dict[int, int] = {}
    for row in _rows(bundle, "categories"):
        category = await Category.create(community_id=community.id, slug=row["slug"], name=row["name"],
                                         description=row["description"], position=row["position"])
        categories[row["id"]] = category.id
    topics: list[int] = []
    for row in _rows(bundle, "topics"):
        content_id = _mapped(bundle, row["content_id"])
        if content_id is None:
            continue
        await Topic.create(content_id=content_id, community_id=community.id,
                           category_id=categories.get(row["category_id"]) if row["category_id"] else None,
                           slug=row["slug"], pinned=bool(row["pinned"]), locked=bool(row["locked"]),
                           announcement=bool(row["announcement"]),
                           solved_post_id=_mapped(bundle, row["solved_post_id"]), post_seq=row["post_seq"],
                           bumped_at=as_datetime("1970-01-01T00:00:00+00:00"),
                           notified=_notified(row.get("notified")))
        topics.append(content_id)
    for row in _rows(bundle, "posts"):
        content_id, topic_id = _mapped(bundle, row["content_id"]), _mapped(bundle, row["topic_id"])
        if content_id is None or topic_id is None:
            continue
        await Post.create(content_id=content_id, topic_id=topic_id, reply_to_id=_mapped(bundle, row["reply_to_id"]),
                          number=row["number"], notified=_notified(row.get("notified")))
    for row in _rows(bundle, "reactions"):
        content_id, member_id = _mapped(bundle, row["content_id"]), bundle.member_id(row["member_id"])
        if content_id is not None and member_id is not None:
            reaction, _ = await Reaction.get_or_create(content_id=content_id, member_id=member_id, kind=row["kind"])
            # auto_now_add stamps "now" on insert: put the original time back.
            await Reaction.filter(id=reaction.id).update(created_at=as_datetime(row["created_at"]))
    for row in _rows(bundle, "states"):
        topic_id, member_id = _mapped(bundle, row["topic_id"]), bundle.member_id(row["member_id"])
        if topic_id is not None and member_id is not None:
            await TopicState.get_or_create(topic_id=topic_id, member_id=member_id,
                                           defaults={"last_read_number": row["last_read_number"],
                                                     "watching": bool(row["watching"])})
    for row in _rows(bundle, "watches"):
        member_id = bundle.member_id(row["member_id"])
        category_id = categories.get(row["category_id"]) if row["category_id"] else None
        if member_id is not None and (row["category_id"] is None or category_id is not None):
            await Watch.get_or_create(community_id=community.id, member_id=member_id, category_id=category_id)
    for topic_id in topics:
        await refresh_topic(topic_id)
    await _fix_meta(community, topics)


async def _fix_meta(community: Community, topics: list[int]) -> None:
    """Point the imported items' ``meta`` (used for their URLs) at their new ids and address."""
    from tisserand.models import Content

    for topic_id in topics:
        topic = await Topic.get(content_id=topic_id)
        await Content.filter(id=topic_id).update(meta={"cslug": community.slug, "tslug": topic.slug})
        for post in await Post.filter(topic_id=topic_id):
            await Content.filter(id=post.content_id).update(
                meta={"cslug": community.slug, "tslug": topic.slug, "topic": topic_id, "n": post.number})
