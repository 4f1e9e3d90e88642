"""The forum's sections of a member's digest: new topics and the most active ones."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from tisserand.db import dialect, fetch_all
from tisserand.digest import DigestItem, DigestSection
from tisserand.i18n import _, ngettext
from tisserand.models import Membership
from tisserand.plugins.forums.urls import topic_path
from tisserand.visibility import can_read_community

if TYPE_CHECKING:
    from tisserand.models import Community, Member

LIMIT = 5


def _time(value: datetime) -> Any:
    # SQLite keeps times as text in Tortoise's format; compare with the same text.
    return value if dialect() == "postgres" else str(value.astimezone(UTC))


async def digest_sections(member: Member, community: Community, since: datetime, until: datetime) -> list[DigestSection]:
    """New topics and the most active topics of the period, only published ones, and only for a
    member who may read the community."""
    membership = await Membership.get_or_none(member_id=member.id, community_id=community.id)
    if not member.is_active or not can_read_community(member, community, membership):
        return []
    start, end = _time(since), _time(until)
    new = await fetch_all(
        "SELECT c.id, c.title, t.slug, t.reply_count, a.display_name, a.username FROM forum_topic t "
        "JOIN content c ON c.id = t.content_id LEFT JOIN member a ON a.id = c.author_id "
        "WHERE t.community_id = ? AND c.status = 'published' AND c.created_at >= ? AND c.created_at < ? "
        "ORDER BY c.id DESC LIMIT ?", [community.id, start, end, LIMIT])
    active = await fetch_all(
        "SELECT c.id, c.title, t.slug, count(*) AS replies FROM content p "
        "JOIN content c ON c.id = p.parent_id JOIN forum_topic t ON t.content_id = c.id "
        "WHERE p.community_id = ? AND p.kind = 'forum.post' AND p.status = 'published' "
        "AND c.status = 'published' AND p.created_at >= ? AND p.created_at < ? "
        "GROUP BY c.id, c.title, t.slug ORDER BY count(*) DESC, c.id DESC LIMIT ?",
        [community.id, start, end, LIMIT])
    sections = []
    slug = community.slug
    if new:
        sections.append(DigestSection(_("New topics"), [
            DigestItem(row["title"], topic_path(slug, row["id"], row["slug"]),
                       _("by {name}", name=row["display_name"] or row["username"] or "?"))
            for row in new], order=20, plugin="forums"))
    if active:
        sections.append(DigestSection(_("Most active topics"), [
            DigestItem(row["title"], topic_path(slug, row["id"], row["slug"]),
                       ngettext("{count} new reply", "{count} new replies", int(row["replies"])))
            for row in active], order=21, plugin="forums"))
    return sections
