"""Communities: the places where members meet, with visibility, join policy and lifecycle."""

from __future__ import annotations

from enum import StrEnum

from tortoise import fields
from tortoise.models import Model


class Visibility(StrEnum):
    """Who sees a community (see the table in docs/architecture.md)."""

    PUBLIC = "public"
    PRIVATE = "private"
    SECRET = "secret"


class JoinPolicy(StrEnum):
    """How a member gets in."""

    OPEN = "open"
    REQUEST = "request"
    INVITE = "invite"


class CommunityStatus(StrEnum):
    """Lifecycle: an archived community is read-only for everyone."""

    ACTIVE = "active"
    ARCHIVED = "archived"


class Community(Model):
    """A community of practice (or a community of communities, through ``parent``)."""

    id = fields.IntField(primary_key=True)
    slug = fields.CharField(max_length=64, unique=True)
    name = fields.CharField(max_length=200)
    description = fields.TextField(default="")
    visibility = fields.CharEnumField(Visibility, max_length=16, default=Visibility.PUBLIC)
    join_policy = fields.CharEnumField(JoinPolicy, max_length=16, default=JoinPolicy.OPEN)
    parent: fields.ForeignKeyNullableRelation[Community] = fields.ForeignKeyField(
        "core.Community", related_name="children", null=True, on_delete=fields.SET_NULL
    )
    parent_id: int | None
    #: Plugins switched on here (``None`` means every plugin enabled on the site).
    plugins = fields.JSONField(null=True)
    #: Per-community permission grants: ``{"forums.topic.create": ["coordinator", ...]}``.
    grants = fields.JSONField(default=dict)
    status = fields.CharEnumField(CommunityStatus, max_length=16, default=CommunityStatus.ACTIVE)
    ends_on = fields.DateField(null=True)
    archived_at = fields.DatetimeField(null=True)
    member_count = fields.IntField(default=0)
    # Ids of the community's logo and banner (uploads); None: the initials, no banner.
    logo_upload = fields.CharField(max_length=32, null=True)
    banner_upload = fields.CharField(max_length=32, null=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        app = "core"
        table = "community"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.slug

    @property
    def is_archived(self) -> bool:
        """True when the community is read-only."""
        return self.status == CommunityStatus.ARCHIVED
