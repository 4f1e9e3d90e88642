"""Members' rights: exports of one's own data."""

from __future__ import annotations

from enum import StrEnum

from tortoise import fields
from tortoise.models import Model


class ExportStatus(StrEnum):
    """``pending`` waits for the background job, ``ready`` can be downloaded until it expires."""

    PENDING = "pending"
    BUILDING = "building"
    READY = "ready"
    FAILED = "failed"
    EXPIRED = "expired"


class DataExport(Model):
    """A zip of everything one member's account holds, built in the background.

    The download link carries a secret derived from the site's secret key and the random file
    name (so nothing secret is stored). ``requested_by`` is the
    member themself, or a site administrator exporting on their behalf."""

    id = fields.IntField(primary_key=True)
    member = fields.ForeignKeyField("core.Member", related_name="data_exports", on_delete=fields.CASCADE)
    member_id: int
    requested_by = fields.ForeignKeyField("core.Member", related_name="data_exports_requested", null=True,
                                          on_delete=fields.SET_NULL)
    requested_by_id: int | None
    status = fields.CharEnumField(ExportStatus, max_length=16, default=ExportStatus.PENDING)
    #: The zip's file name inside the instance's ``data/exports`` folder.
    file_name = fields.CharField(max_length=100, default="")
    size = fields.BigIntField(default=0)
    created_at = fields.DatetimeField(auto_now_add=True)
    ready_at = fields.DatetimeField(null=True)
    expires_at = fields.DatetimeField(null=True)

    class Meta:
        app = "core"
        table = "data_export"


class AccountClosing(Model):
    """A member's request to close their account, carried out at ``due_at`` unless they sign in
    before. ``mode`` is ``delete`` (what they wrote goes) or ``anonymize`` (it stays, signed
    "former member")."""

    id = fields.IntField(primary_key=True)
    member = fields.OneToOneField("core.Member", related_name="closing", on_delete=fields.CASCADE)
    member_id: int
    mode = fields.CharField(max_length=16)
    requested_at = fields.DatetimeField(auto_now_add=True)
    due_at = fields.DatetimeField()

    class Meta:
        app = "core"
        table = "account_closing"


class Consent(Model):
    """A member's acceptance of a site document (``privacy`` policy, ``terms``) in one version."""

    id = fields.IntField(primary_key=True)
    member = fields.ForeignKeyField("core.Member", related_name="consents", on_delete=fields.CASCADE)
    member_id: int
    document = fields.CharField(max_length=40)
    version = fields.CharField(max_length=40)
    accepted_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        app = "core"
        table = "consent"
