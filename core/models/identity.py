"""Sign-in beyond passwords: links to identity providers, one-time tickets, two factors."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model


class IdentityLink(Model):
    """A member's account at an OpenID provider (``provider`` is its ``[[auth.oidc]]`` name)."""

    id = fields.IntField(primary_key=True)
    member = fields.ForeignKeyField("core.Member", related_name="identity_links", on_delete=fields.CASCADE)
    member_id: int
    provider = fields.CharField(max_length=40)
    subject = fields.CharField(max_length=255)
    email = fields.CharField(max_length=254, default="")
    #: What the last sign-in granted from groups: ``{"admin": bool, "communities": {slug: role}}``,
    #: so that the next one takes back only what the provider gave.
    granted = fields.JSONField(default=dict)
    created_at = fields.DatetimeField(auto_now_add=True)
    last_login_at = fields.DatetimeField(null=True)

    class Meta:
        app = "core"
        table = "identity_link"
        unique_together = (("provider", "subject"),)


class AuthTicket(Model):
    """A short-lived, one-time secret (OIDC state, pending second factor, pending account link,
    break-glass log-in link). Only the SHA-256 of the secret is stored; using it deletes it."""

    id = fields.IntField(primary_key=True)
    key_hash = fields.CharField(max_length=64, unique=True)
    purpose = fields.CharField(max_length=20)
    member = fields.ForeignKeyField("core.Member", related_name="auth_tickets", null=True,
                                    on_delete=fields.CASCADE)
    member_id: int | None
    data = fields.JSONField(default=dict)
    created_at = fields.DatetimeField(auto_now_add=True)
    expires_at = fields.DatetimeField()

    class Meta:
        app = "core"
        table = "auth_ticket"


class SsoSession(Model):
    """A session opened through an identity provider, with the ID token for signing out there
    (``provider`` is ``cli`` for a break-glass link made on the command line)."""

    id = fields.IntField(primary_key=True)
    session = fields.OneToOneField("core.Session", related_name="sso", on_delete=fields.CASCADE)
    session_id: int
    provider = fields.CharField(max_length=40)
    id_token = fields.TextField(default="")

    class Meta:
        app = "core"
        table = "sso_session"


class TwoFactor(Model):
    """A member's TOTP secret (confirmed once a code was entered) and hashed recovery codes."""

    id = fields.IntField(primary_key=True)
    member = fields.OneToOneField("core.Member", related_name="two_factor", on_delete=fields.CASCADE)
    member_id: int
    secret = fields.CharField(max_length=64)
    confirmed_at = fields.DatetimeField(null=True)
    #: SHA-256 digests of the unused recovery codes.
    recovery_codes = fields.JSONField(default=list)
    #: The last TOTP time step accepted (a code works once).
    last_step = fields.BigIntField(default=0)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        app = "core"
        table = "two_factor"
