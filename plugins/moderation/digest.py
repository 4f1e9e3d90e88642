"""The moderation section of a digest: for coordinators and animators, what waits for review
and which appeals wait for an answer. Members get nothing from this plugin in their digest."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tisserand.digest import DigestItem, DigestSection
from tisserand.i18n import _, ngettext
from tisserand.models import Membership
from tisserand.plugins.moderation.models import Appeal, Review

if TYPE_CHECKING:
    from tisserand.models import Community, Member


async def sections(member: Member, community: Community) -> list[DigestSection]:
    """A section only for staff, only when something waits."""
    membership = await Membership.get_or_none(member_id=member.id, community_id=community.id, state="active")
    role = str(membership.role) if membership is not None else ""
    if role not in ("coordinator", "animator"):
        return []
    waiting = await Review.filter(community_id=community.id, state="open").count()
    items = []
    if waiting:
        items.append(DigestItem(ngettext("{count} post waits for review", "{count} posts wait for review", waiting),
                                f"/c/{community.slug}/moderation"))
    if role == "coordinator":
        appeals = await Appeal.filter(community_id=community.id, state="open").count()
        if appeals:
            items.append(DigestItem(ngettext("{count} appeal waits for your answer",
                                             "{count} appeals wait for your answer", appeals),
                                    f"/c/{community.slug}/moderation/appeals"))
    return [DigestSection(_("Moderation"), items, order=900, plugin="moderation")] if items else []
