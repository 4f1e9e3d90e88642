"""Content: everything a member writes, one table for every kind."""

from __future__ import annotations

from enum import StrEnum

from tortoise import fields
from tortoise.models import Model


class ContentStatus(StrEnum):
    """``pending`` waits for review, ``hidden`` is taken down by moderation, ``deleted`` is soft."""

    PUBLISHED = "published"
    PENDING = "pending"
    HIDDEN = "hidden"
    DELETED = "deleted"


class Content(Model):
    """A forum topic or post, a wiki page, a meet-up…: ``kind`` says which plugin owns it.

    ``html`` is rendered and sanitized once, at save. ``activity_at`` moves when the item or a
    child changes (the feed's "latest activity" order).
    """

    id = fields.IntField(primary_key=True)
    kind = fields.CharField(max_length=40)
    community = fields.ForeignKeyField("core.Community", related_name="contents", on_delete=fields.CASCADE)
    community_id: int
    author = fields.ForeignKeyField(
        "core.Member", related_name="contents", null=True, on_delete=fields.SET_NULL
    )
    author_id: int | None
    parent = fields.ForeignKeyField(
        "core.Content", related_name="children", null=True, on_delete=fields.CASCADE
    )
    parent_id: int | None
    title = fields.CharField(max_length=300, default="")
    body = fields.TextField(default="")
    html = fields.TextField(default="")
    status = fields.CharEnumField(ContentStatus, max_length=16, default=ContentStatus.PUBLISHED)
    #: Why the item is pending or hidden, shown to its author.
    status_reason = fields.CharField(max_length=500, default="")
    #: Small plugin-specific extras (anything queried belongs in the plugin's own table).
    meta = fields.JSONField(default=dict)
    #: The language it is written in (``fr``, ``en``), or ``""`` when unknown: guessed at save
    #: (:mod:`tisserand.language`) unless the author said it.
    lang = fields.CharField(max_length=8, default="", db_default="")
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)
    edited_at = fields.DatetimeField(null=True)
    activity_at = fields.DatetimeField(null=True)

    class Meta:
        app = "core"
        table = "content"
        indexes = (("community_id", "kind", "status"), ("kind", "activity_at"), ("parent_id", "id"))

    def __str__(self) -> str:
        return f"{self.kind}#{self.id}"
