"""The audit log: who did what, when and why."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model


class AuditLog(Model):
    """One action: ``action`` is dotted (``community.archive``, ``moderation.hide``)."""

    id = fields.IntField(primary_key=True)
    actor = fields.ForeignKeyField("core.Member", related_name="audit_actions", null=True, on_delete=fields.SET_NULL)
    actor_id: int | None
    community = fields.ForeignKeyField(
        "core.Community", related_name="audit_entries", null=True, on_delete=fields.CASCADE
    )
    community_id: int | None
    action = fields.CharField(max_length=80)
    target_kind = fields.CharField(max_length=40, default="")
    target_id = fields.IntField(null=True)
    reason = fields.TextField(default="")
    data = fields.JSONField(default=dict)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        app = "core"
        table = "audit_log"
        indexes = (("community_id", "created_at"),)
