"""Members' avatars and communities' logos and banners: uploads with a purpose, one of each at
a time (the previous picture is removed when a new one is set). Without one, the initials show."""

from __future__ import annotations

from typing import IO, TYPE_CHECKING, Literal

from tisserand.models import Community, Member, Upload, UploadPurpose
from tisserand.uploads.service import delete_upload, save_upload

if TYPE_CHECKING:
    from pathlib import Path

CommunityPicture = Literal["logo", "banner"]


def picture_url(upload_id: str | None, variant: str = "thumb") -> str | None:
    """The URL of a picture by its upload id (``thumb`` or ``display`` copy), or None."""
    if not upload_id:
        return None
    return f"/uploads/{upload_id}/picture?v={variant}"


async def _replace(old_id: str | None) -> None:
    if old_id:
        old = await Upload.get_or_none(id=old_id)
        if old is not None:
            await delete_upload(old)


async def set_avatar(member: Member, source: IO[bytes] | Path, name: str) -> Upload:
    """Make the image at ``source`` the member's avatar (415 for anything but an image)."""
    upload = await save_upload(source, name=name, uploader=member, purpose=UploadPurpose.AVATAR,
                               only_images=True)
    old = member.avatar_upload
    member.avatar_upload = upload.id
    await member.save(update_fields=["avatar_upload"])
    await _replace(old)
    return upload


async def clear_avatar(member: Member) -> None:
    """Back to the initials."""
    old = member.avatar_upload
    member.avatar_upload = None
    await member.save(update_fields=["avatar_upload"])
    await _replace(old)


async def set_community_picture(community: Community, which: CommunityPicture, source: IO[bytes] | Path,
                                name: str, actor: Member) -> Upload:
    """Make the image at ``source`` the community's ``logo`` or ``banner``."""
    upload = await save_upload(source, name=name, uploader=actor, community=community,
                               purpose=UploadPurpose(which), only_images=True)
    field = f"{which}_upload"
    old = getattr(community, field)
    setattr(community, field, upload.id)
    await community.save(update_fields=[field])
    await _replace(old)
    return upload


async def clear_community_picture(community: Community, which: CommunityPicture) -> None:
    """Remove the community's ``logo`` or ``banner``."""
    field = f"{which}_upload"
    old = getattr(community, field)
    setattr(community, field, None)
    await community.save(update_fields=[field])
    await _replace(old)
