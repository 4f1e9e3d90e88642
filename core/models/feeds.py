"""A member's key to their personal feeds (Atom, iCalendar): a secret URL that works without
a cookie, so that a feed reader or a calendar app can follow a private community."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model


class FeedKey(Model):
    """One per member. The URL's secret is an HMAC of ``salt`` with the site's secret key, so
    the database alone does not give it away; only its SHA-256 digest is looked up. A new
    ``salt`` (a reset) makes a new secret and kills the old URLs."""

    id = fields.IntField(primary_key=True)
    member = fields.OneToOneField("core.Member", related_name="feed_key", on_delete=fields.CASCADE)
    salt = fields.CharField(max_length=64)
    key_hash = fields.CharField(max_length=64, unique=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        app = "core"
        table = "feed_key"
