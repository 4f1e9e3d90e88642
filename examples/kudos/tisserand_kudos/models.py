"""One row per thank-you: who thanked whom, for which content item."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model


class Kudos(Model):
    """A member thanks the author of a content item, once per item."""

    id = fields.IntField(primary_key=True)
    community = fields.ForeignKeyField("core.Community", related_name="kudos", on_delete=fields.CASCADE)
    content = fields.ForeignKeyField("core.Content", related_name="kudos", on_delete=fields.CASCADE)
    giver = fields.ForeignKeyField("core.Member", related_name="kudos_given", on_delete=fields.CASCADE)
    receiver = fields.ForeignKeyField("core.Member", related_name="kudos_received", on_delete=fields.CASCADE)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        app = "kudos"
        table = "kudos"
        unique_together = (("content", "giver"),)
        indexes = (("community_id", "created_at"), ("receiver_id",))
