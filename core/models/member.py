"""Members: the accounts of the site."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model


class Member(Model):
    """An account. ``username`` is stored lower-case and is unique, and so is ``email``."""

    id = fields.IntField(primary_key=True)
    username = fields.CharField(max_length=40, unique=True)
    email = fields.CharField(max_length=254, unique=True)
    display_name = fields.CharField(max_length=100, default="")
    password_hash = fields.CharField(max_length=255, default="")
    is_admin = fields.BooleanField(default=False)
    is_active = fields.BooleanField(default=True)
    #: A placeholder created by an import, who never signed up.
    is_placeholder = fields.BooleanField(default=False)
    locale = fields.CharField(max_length=8, default="")
    timezone = fields.CharField(max_length=64, default="")
    email_verified_at = fields.DatetimeField(null=True)
    #: Opt-in coarse location (rounded to about 1 km), for maps and "near me".
    latitude = fields.FloatField(null=True)
    longitude = fields.FloatField(null=True)
    city = fields.CharField(max_length=120, default="")
    created_at = fields.DatetimeField(auto_now_add=True)
    last_seen_at = fields.DatetimeField(null=True)
    # The id of the member's picture (an avatar upload); None: the initials.
    avatar_upload = fields.CharField(max_length=32, null=True)
    #: The account was made without the member accepting the privacy policy and terms (first
    #: sign-in through an identity provider, an account made by an administrator): the next
    #: page they open asks for it (see :mod:`tisserand.legal`).
    consent_pending = fields.BooleanField(default=False, db_default=False)
    #: Who sees each profile field: ``{"city": "members", ...}`` (see
    #: :mod:`tisserand.profile_visibility`; missing fields take the defaults).
    profile_visibility = fields.JSONField(null=True)
    #: When the inactive-accounts policy warned the member (signing in clears it).
    inactivity_warned_at = fields.DatetimeField(null=True)

    class Meta:
        app = "core"
        table = "member"

    def __str__(self) -> str:
        return self.username

    @property
    def name(self) -> str:
        """The name to show: the display name, else the username."""
        return self.display_name or self.username

    @property
    def initials(self) -> str:
        """Up to two letters for the avatar."""
        words = [w for w in self.name.replace("_", " ").replace(".", " ").split() if w]
        letters = "".join(w[0] for w in words[:2]) or self.username[:1]
        return letters.upper()
