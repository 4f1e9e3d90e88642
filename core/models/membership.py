"""Memberships: a member's role in a community."""

from __future__ import annotations

from enum import StrEnum

from tortoise import fields
from tortoise.models import Model


class Role(StrEnum):
    """Roles in a community, from most to least rights. ``admin`` is a site flag, not a role."""

    COORDINATOR = "coordinator"
    ANIMATOR = "animator"
    SPONSOR = "sponsor"
    MEMBER = "member"
    OBSERVER = "observer"


class MembershipState(StrEnum):
    """``active`` members are in, ``requested`` wait for approval, ``invited`` wait to accept."""

    ACTIVE = "active"
    REQUESTED = "requested"
    INVITED = "invited"


class Membership(Model):
    """One member in one community, with a role."""

    id = fields.IntField(primary_key=True)
    member = fields.ForeignKeyField("core.Member", related_name="memberships", on_delete=fields.CASCADE)
    member_id: int
    community = fields.ForeignKeyField(
        "core.Community", related_name="memberships", on_delete=fields.CASCADE
    )
    community_id: int
    role = fields.CharEnumField(Role, max_length=16, default=Role.MEMBER)
    state = fields.CharEnumField(MembershipState, max_length=16, default=MembershipState.ACTIVE)
    invited_by = fields.ForeignKeyField(
        "core.Member", related_name="invitations_sent", null=True, on_delete=fields.SET_NULL
    )
    invited_by_id: int | None
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        app = "core"
        table = "membership"
        unique_together = (("member", "community"),)
