"""Who may see a community and its content (the table in docs/architecture.md).

=========  ========================  ===================  =====================
visibility listed in the directory   name, join button    content
=========  ========================  ===================  =====================
public     yes                       everyone             everyone
private    yes                       everyone             active members
secret     no                        active members       active members
=========  ========================  ===================  =====================

Site admins see everything. Outsiders get 404, never 403, where they may not know a thing exists.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tisserand.models.community import Visibility
from tisserand.models.content import ContentStatus
from tisserand.models.membership import MembershipState

if TYPE_CHECKING:
    from tisserand.models import Community, Content, Member, Membership


def is_active_member(membership: Membership | None) -> bool:
    """True for an accepted membership (requested and invited ones are not in yet)."""
    return membership is not None and membership.state == MembershipState.ACTIVE


def can_see_community(viewer: Member | None, community: Community,
                      membership: Membership | None) -> bool:
    """May ``viewer`` know that ``community`` exists (name, description, join button)?"""
    if community.visibility != Visibility.SECRET:
        return True
    if viewer is not None and viewer.is_admin:
        return True
    # An invitation to a secret community lets the invitee see its name to accept it.
    return membership is not None and membership.state in (MembershipState.ACTIVE, MembershipState.INVITED)


def can_read_community(viewer: Member | None, community: Community,
                       membership: Membership | None) -> bool:
    """May ``viewer`` read the community's content?"""
    if community.visibility == Visibility.PUBLIC:
        return True
    if viewer is not None and viewer.is_admin:
        return True
    return is_active_member(membership)


def can_see_content_status(viewer: Member | None, content: Content, is_staff: bool) -> bool:
    """Published content is for readers; pending and hidden content for its author and staff."""
    if content.status == ContentStatus.PUBLISHED:
        return True
    if content.status == ContentStatus.DELETED:
        return is_staff
    if viewer is not None and (viewer.is_admin or is_staff or content.author_id == viewer.id):  # type: ignore[attr-defined]
        return True
    return False


def readable_community_ids_sql(viewer: Member | None) -> tuple[str, list[object]]:
    """A SQL condition (on alias ``cm`` for community) and its parameters selecting the
    communities whose content ``viewer`` may read; written with ``?`` markers."""
    if viewer is not None and viewer.is_admin:
        return "1=1", []
    if viewer is None:
        return "cm.visibility = 'public'", []
    return (
        "(cm.visibility = 'public' OR cm.id IN (SELECT ms.community_id FROM membership ms "
        "WHERE ms.member_id = ? AND ms.state = 'active'))",
        [viewer.id],
    )


async def plugins_allow(content: Content, viewer: Member | None) -> bool:
    """Ask every plugin's ``content_visible`` hook (awaiting the answers that need to be
    awaited); False when one of them hides ``content`` from ``viewer``. Apply the community's
    visibility and the item's status first: plugins only narrow what is visible."""
    from tisserand.plugin_manager import resolve_all
    from tisserand.site import current_site

    answers = await resolve_all(current_site().hook.content_visible(content=content, viewer=viewer))
    return all(answer is not False for answer in answers)
