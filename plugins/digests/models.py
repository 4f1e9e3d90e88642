"""The digests plugin's tables: e-mail settings, per-community choices, deliveries (the
exactly-once ledger), bounces, calls to all and the mentions already notified."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model


class DigestAccount(Model):
    """A member's e-mail settings, created the first time they are needed.

    ``frequency`` is null while the member keeps the site default. ``unsubscribe_version`` is
    the nonce carried by unsubscribe links, moved on when one is used.
    """

    id = fields.IntField(primary_key=True)
    member = fields.OneToOneField("core.Member", related_name="digest_account", on_delete=fields.CASCADE)
    member_id: int
    frequency = fields.CharField(max_length=10, null=True)
    unsubscribe_version = fields.IntField(default=0)
    #: Refusals in a row, reset by a delivered message.
    bounce_count = fields.IntField(default=0)
    #: Set when bounces stopped e-mails to this member.
    email_paused_at = fields.DatetimeField(null=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        app = "digests"
        table = "digests_account"


class CommunityPreference(Model):
    """How often a member wants one community in their digest (overrides their global choice)."""

    id = fields.IntField(primary_key=True)
    member = fields.ForeignKeyField("core.Member", related_name="digest_community_prefs",
                                    on_delete=fields.CASCADE)
    member_id: int
    community = fields.ForeignKeyField("core.Community", related_name="digest_member_prefs",
                                       on_delete=fields.CASCADE)
    community_id: int
    frequency = fields.CharField(max_length=10)

    class Meta:
        app = "digests"
        table = "digests_community_pref"
        unique_together = (("member", "community"),)


class Delivery(Model):
    """One e-mail to one member under a unique key (``weekly:2026-11-16``, ``call:12``).

    The unique (member, key) pair is the exactly-once ledger: a run inserts the row (state
    ``claimed``) before building, moves it to ``sending`` just before the SMTP conversation and
    to ``sent``, ``bounced``, ``failed`` or ``empty`` after.
    """

    id = fields.IntField(primary_key=True)
    member = fields.ForeignKeyField("core.Member", related_name="digest_deliveries", on_delete=fields.CASCADE)
    member_id: int
    period_key = fields.CharField(max_length=60)
    kind = fields.CharField(max_length=20)
    state = fields.CharField(max_length=12)
    run_id = fields.CharField(max_length=32)
    claimed_at = fields.DatetimeField()
    sent_at = fields.DatetimeField(null=True)
    attempts = fields.IntField(default=0)
    error = fields.CharField(max_length=500, default="")
    message_id = fields.CharField(max_length=250, default="")

    class Meta:
        app = "digests"
        table = "digests_delivery"
        unique_together = (("member", "period_key"),)
        indexes = (("period_key", "state"),)


class Bounce(Model):
    """An address refused by the mail server (a permanent error)."""

    id = fields.IntField(primary_key=True)
    member = fields.ForeignKeyField("core.Member", related_name="digest_bounces", on_delete=fields.CASCADE)
    member_id: int
    kind = fields.CharField(max_length=20)
    error = fields.CharField(max_length=500, default="")
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        app = "digests"
        table = "digests_bounce"


class Call(Model):
    """A call to all: an announcement sent in-app and by e-mail to every member of a community.

    The text is a content item (kind ``digests.call``); ``day`` is unique per community, which
    limits calls to one a day even when two are posted at the same instant.
    """

    id = fields.IntField(primary_key=True)
    content = fields.OneToOneField("core.Content", related_name="digest_call", on_delete=fields.CASCADE)
    content_id: int
    community = fields.ForeignKeyField("core.Community", related_name="digest_calls", on_delete=fields.CASCADE)
    community_id: int
    author = fields.ForeignKeyField("core.Member", related_name="digest_calls_sent", null=True,
                                    on_delete=fields.SET_NULL)
    author_id: int | None
    day = fields.DateField()
    recipients = fields.IntField(default=0)
    emailed = fields.IntField(default=0)
    dispatched_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        app = "digests"
        table = "digests_call"
        unique_together = (("community", "day"),)


class Mention(Model):
    """A member already notified of a mention in a content item (edits do not notify again).

    No longer written: the core tells @mentions (:mod:`tisserand.mentions`) and remembers them
    as its ``mention`` notifications. The rows of earlier versions stay until their member's
    account is erased."""

    id = fields.IntField(primary_key=True)
    content = fields.ForeignKeyField("core.Content", related_name="digest_mentions", on_delete=fields.CASCADE)
    content_id: int
    member = fields.ForeignKeyField("core.Member", related_name="digest_mentions_received",
                                    on_delete=fields.CASCADE)
    member_id: int
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        app = "digests"
        table = "digests_mention"
        unique_together = (("content", "member"),)
