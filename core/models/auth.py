"""Server-side sessions and API tokens (only hashes of the secrets are stored)."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model


class Session(Model):
    """A logged-in browser. The cookie holds the secret, the table holds its SHA-256."""

    id = fields.IntField(primary_key=True)
    key_hash = fields.CharField(max_length=64, unique=True)
    member = fields.ForeignKeyField("core.Member", related_name="sessions", on_delete=fields.CASCADE)
    member_id: int
    csrf_token = fields.CharField(max_length=64)
    user_agent = fields.CharField(max_length=300, default="")
    # The address it signed in from; forgotten after [privacy] ip_retention_days.
    ip = fields.CharField(max_length=45, null=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    last_seen_at = fields.DatetimeField(auto_now_add=True)
    expires_at = fields.DatetimeField()

    class Meta:
        app = "core"
        table = "session"


class ApiToken(Model):
    """A bearer token for the JSON API."""

    id = fields.IntField(primary_key=True)
    key_hash = fields.CharField(max_length=64, unique=True)
    member = fields.ForeignKeyField("core.Member", related_name="api_tokens", on_delete=fields.CASCADE)
    member_id: int
    name = fields.CharField(max_length=100, default="")
    created_at = fields.DatetimeField(auto_now_add=True)
    last_used_at = fields.DatetimeField(null=True)

    class Meta:
        app = "core"
        table = "api_token"
