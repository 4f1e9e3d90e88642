"""In-app notifications, created through :func:`tisserand.notify.notify`."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model


class Notification(Model):
    """Something a member should know: ``kind`` is dotted (``forums.reply``, ``mention``)."""

    id = fields.IntField(primary_key=True)
    member = fields.ForeignKeyField("core.Member", related_name="notifications", on_delete=fields.CASCADE)
    member_id: int
    kind = fields.CharField(max_length=60)
    actor = fields.ForeignKeyField("core.Member", related_name="notifications_caused", null=True, on_delete=fields.SET_NULL)
    actor_id: int | None
    community = fields.ForeignKeyField(
        "core.Community", related_name="notifications", null=True, on_delete=fields.CASCADE
    )
    community_id: int | None
    content = fields.ForeignKeyField("core.Content", related_name="notifications", null=True, on_delete=fields.CASCADE)
    content_id: int | None
    title = fields.CharField(max_length=300)
    text = fields.TextField(default="")
    url = fields.CharField(max_length=500, default="")
    data = fields.JSONField(default=dict)
    read_at = fields.DatetimeField(null=True)
    emailed_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        app = "core"
        table = "notification"
        indexes = (("member_id", "read_at", "id"),)
