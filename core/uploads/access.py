"""Who may fetch an uploaded file: decided on every download from what the file belongs to.

- ``attachment`` files belong to a content item once referenced from it: readable by whoever
  may read that item now (community visibility, item status and its parent's, the plugins'
  ``content_visible``, the owning plugin switched on); before that only by their uploader.
- ``avatar``: anyone. ``logo`` / ``banner``: whoever may see the community.
- Site admins may fetch everything. Everyone else gets the same 404 as for a missing file.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tisserand.models import Community, Content, ContentStatus, Upload, UploadPurpose
from tisserand.permissions import membership_of
from tisserand.visibility import (
    can_read_community,
    can_see_community,
    can_see_content_status,
    is_active_member,
    plugins_allow,
)

if TYPE_CHECKING:
    from tisserand.models import Member


async def can_read_content(viewer: Member | None, content: Content) -> bool:
    """May ``viewer`` read ``content`` now (its community, its status and its parent's, the
    owning plugin switched on there, and every plugin's ``content_visible``)?"""
    from tisserand.site import current_site

    community = await Community.get_or_none(id=content.community_id)
    if community is None:
        return False
    content.community = community
    membership = await membership_of(viewer, community)
    if not (can_see_community(viewer, community, membership)
            and can_read_community(viewer, community, membership)):
        return False
    staff = is_active_member(membership) and membership is not None and \
        membership.role in ("coordinator", "animator")
    if not can_see_content_status(viewer, content, staff):
        return False
    parent_id = content.parent_id
    if parent_id is not None:
        parent = await Content.get_or_none(id=parent_id)
        taken_down = parent is not None and parent.status in (ContentStatus.HIDDEN, ContentStatus.DELETED)
        if parent is None or (taken_down and not (staff or (viewer is not None and viewer.is_admin))):
            return False
    site = current_site()
    owner = content.kind.split(".", 1)[0]
    if owner in site.plugins.enabled and owner not in site.plugins.community_plugins(community):
        return False
    return await plugins_allow(content, viewer)


async def can_read_upload(viewer: Member | None, upload: Upload) -> bool:
    """May ``viewer`` fetch ``upload`` (and its copies, and its metadata)?"""
    if viewer is not None and viewer.is_admin:
        return True
    purpose = UploadPurpose(upload.purpose)
    if purpose == UploadPurpose.AVATAR:
        return True
    community_id = upload.community_id
    if purpose in (UploadPurpose.LOGO, UploadPurpose.BANNER):
        community = await Community.get_or_none(id=community_id)
        return community is not None and can_see_community(
            viewer, community, await membership_of(viewer, community))
    content_id = upload.content_id
    if content_id is None:
        return viewer is not None and viewer.id == upload.uploader_id
    content = await Content.get_or_none(id=content_id)
    return content is not None and await can_read_content(viewer, content)
