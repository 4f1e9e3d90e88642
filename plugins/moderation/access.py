"""Who may see and act on what, for the services of the plugin (pages and API share them)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from tisserand.errors import NotFound, PermissionRefused, ReadOnly, Unauthorized
from tisserand.i18n import _
from tisserand.models import Community, Content, Member, Membership
from tisserand.site import current_site
from tisserand.visibility import can_read_community, can_see_community, can_see_content_status, plugins_allow

if TYPE_CHECKING:
    from tisserand.site import Site

PLUGIN = "moderation"
RANK = {"coordinator": 4, "animator": 3, "sponsor": 2, "member": 1, "observer": 1}


@dataclass
class Place:
    """A member (or nobody) in a community, with what the permission checks need."""

    community: Community
    viewer: Member | None
    membership: Membership | None

    @property
    def role(self) -> str | None:
        """The viewer's active role, if any."""
        if self.membership is None or self.membership.state != "active":
            return None
        return str(self.membership.role)

    @property
    def is_staff(self) -> bool:
        """Coordinator, animator or site admin."""
        return bool(self.viewer and self.viewer.is_admin) or self.role in ("coordinator", "animator")

    def can(self, permission: str) -> bool:
        """May the viewer do ``permission`` here?"""
        return current_site().permissions.can(self.viewer, permission, self.community, self.membership)

    def require(self, permission: str) -> None:
        """403 (401 for visitors) unless the viewer may do ``permission``."""
        if self.can(permission):
            return
        if self.viewer is None:
            raise Unauthorized(_("Log in to do this."))
        if self.community.is_archived and current_site().permissions.get(permission).write:
            raise ReadOnly(_("This community is archived: it is read-only."))
        raise PermissionRefused(_("Your role in this community does not allow this."), member=self.viewer,
                                community=self.community, permission=permission)


def switched_on(site: Site, community: Community) -> bool:
    """Is the moderation plugin switched on in ``community``?"""
    return PLUGIN in site.plugins.community_plugins(community)


async def place(community: Community, viewer: Member | None) -> Place:
    """The viewer's place in ``community`` (one query)."""
    membership = None
    if viewer is not None:
        membership = await Membership.get_or_none(member_id=viewer.id, community_id=community.id)
    return Place(community, viewer, membership)


async def content_place(content_id: int, viewer: Member | None) -> tuple[Content, Place]:
    """A content item the viewer may see, with the viewer's place in its community; 404
    otherwise (also where the plugin is switched off)."""
    site = current_site()
    content = await Content.get_or_none(id=content_id).select_related("community")
    missing = NotFound(_("There is nothing at this address. It may have moved, or you may not have access to it."))
    if content is None:
        raise missing
    where = await place(content.community, viewer)
    if not can_see_community(viewer, content.community, where.membership) or \
            not can_read_community(viewer, content.community, where.membership) or \
            not can_see_content_status(viewer, content, where.is_staff) or \
            not switched_on(site, content.community) or \
            not await plugins_allow(content, viewer):  # e.g. a members-only wiki page
        raise missing
    return content, where


def outranks(actor: Place, target: Membership | None, target_member: Member) -> bool:
    """May ``actor`` act on ``target_member`` (a higher role, or a site admin acting on a
    non-admin)?"""
    if target_member.is_admin:
        return False
    if actor.viewer is not None and actor.viewer.is_admin:
        return True
    mine = RANK.get(actor.role or "", 0)
    theirs = RANK.get(str(target.role), 0) if target is not None and target.state == "active" else 0
    return mine > theirs
