"""Uploaded files: what the server knows about each one (the bytes live in the storage)."""

from __future__ import annotations

from enum import StrEnum

from tortoise import fields
from tortoise.models import Model


class UploadPurpose(StrEnum):
    """What a file is for, which decides who may fetch it.

    ``attachment``: referenced from content, readable by whoever may read that content (and
    by its uploader until then); ``avatar``: a member's picture, public; ``logo`` and
    ``banner``: a community's pictures, visible to whoever may see the community.
    """

    ATTACHMENT = "attachment"
    AVATAR = "avatar"
    LOGO = "logo"
    BANNER = "banner"


class Upload(Model):
    """One uploaded file. ``id`` is a random token made by the server (also the name used in
    URLs); ``storage_key`` is the server-made name in the storage; ``name`` is the file name
    the member gave, cleaned, only for display and downloads."""

    id = fields.CharField(max_length=32, primary_key=True)
    uploader = fields.ForeignKeyField("core.Member", related_name="uploads", null=True,
                                      on_delete=fields.SET_NULL)
    uploader_id: int | None
    community = fields.ForeignKeyField("core.Community", related_name="uploads", null=True,
                                       on_delete=fields.CASCADE)
    community_id: int | None
    #: The content item the file belongs to (its readers may fetch it).
    content = fields.ForeignKeyField("core.Content", related_name="uploads", null=True,
                                     on_delete=fields.SET_NULL)
    content_id: int | None
    purpose = fields.CharEnumField(UploadPurpose, max_length=16, default=UploadPurpose.ATTACHMENT)
    name = fields.CharField(max_length=200)
    mime = fields.CharField(max_length=120)
    size = fields.BigIntField()
    sha256 = fields.CharField(max_length=64)
    storage_key = fields.CharField(max_length=200)
    width = fields.IntField(null=True)
    height = fields.IntField(null=True)
    alt = fields.CharField(max_length=500, default="")
    #: Smaller copies of an image: ``{"display": key, "thumb": key}`` (storage keys).
    variants = fields.JSONField(default=dict)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        app = "core"
        table = "upload"
        indexes = (("uploader_id", "created_at"), ("community_id",), ("content_id",))

    def __str__(self) -> str:
        return f"upload#{self.id}"
