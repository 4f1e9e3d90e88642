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

__all__ = [
    "active_content_sql", "can_read_community", "can_see_community", "can_see_content_status",
    "kind_active", "plugins_allow", "readable_community_ids_sql",
]


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
    if viewer is not None and (viewer.is_admin or is_staff or content.author_id == viewer.id):
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


def loaded_community(content: Content) -> Community | None:
    """``content.community`` when it was loaded (``select_related`` or assigned), else None."""
    from tisserand.models import Community

    value = content.__dict__.get("_community")
    return value if isinstance(value, Community) else None


async def kind_active(content: Content, community: Community | None = None) -> bool:
    """Is the plugin owning ``content.kind`` enabled on the site and switched on in its
    community? The one place every reader asks (a plugin switched off takes its content with
    it); kinds no plugin claims are always active."""
    from tisserand.models import Community
    from tisserand.site import current_site

    plugins = current_site().plugins
    if not plugins.kind_active(content.kind):
        return False
    if plugins.kind_owner(content.kind) is None:
        return True
    community = community or loaded_community(content)
    if community is None:
        community = await Community.get_or_none(id=content.community_id)
    return community is not None and plugins.kind_active(content.kind, community)


async def plugins_allow(content: Content, viewer: Member | None, community: Community | None = None) -> bool:
    """False when the plugin owning ``content`` is switched off (:func:`kind_active`) or when
    a plugin's ``content_visible`` hook hides ``content`` from ``viewer`` (the answers that need
    to be awaited are awaited). Apply the community's visibility and the item's status first:
    plugins only narrow what is visible."""
    from tisserand.plugin_manager import resolve_all
    from tisserand.site import current_site

    if not await kind_active(content, community):
        return False
    answers = await resolve_all(current_site().hook.content_visible(content=content, viewer=viewer))
    return all(answer is not False for answer in answers)


async def active_content_sql(kind: str = "c.kind", community: str = "c.community_id") -> tuple[str, list[object]]:
    """A SQL condition (``?`` markers) leaving out content whose plugin is switched off, site-wide
    or in its community (the SQL twin of :func:`kind_active`, for lists: feeds, search,
    notifications, digests). True where ``kind`` is NULL (a notification about no content).
    Adds no query of its own: the communities' switches are read inside the condition."""
    from tisserand.db import dialect
    from tisserand.site import current_site

    plugins = current_site().plugins
    condition, params = plugins.inactive_kinds_sql(kind)
    parts = [condition]
    for name in plugins.enabled:
        owned, owned_params = plugins.kinds_sql([name], kind)
        if owned == "1=0":
            continue
        if dialect() == "postgres":
            switched_off = "swc.plugins @> ?::jsonb"
            switch_params: list[object] = [f'{{"{name}": false}}']
        else:
            switched_off = "json_type(swc.plugins, ?) = 'false'"
            switch_params = [f'$."{name}"']
        parts.append(f"NOT ({owned} AND EXISTS (SELECT 1 FROM community swc WHERE swc.id = {community} "
                     f"AND swc.plugins IS NOT NULL AND {switched_off}))")
        params += [*owned_params, *switch_params]
    return f"({kind} IS NULL OR ({' AND '.join(parts)}))", params
