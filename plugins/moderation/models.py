"""The moderation plugin's tables: flags, review items, sanctions, appeals, watched words,
trust records and per-community settings. One Tortoise app, labelled ``moderation``."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model


class ModerationConfig(Model):
    """Settings of one scope (``site`` or ``community:<id>``) and a version for caches.

    ``version`` is bumped whenever the scope's settings or watched words change, so every
    process reloads its compiled word lists at the next check.
    """

    id = fields.IntField(primary_key=True)
    scope = fields.CharField(max_length=40, unique=True)
    community = fields.ForeignKeyField("core.Community", related_name="moderation_configs", null=True,
                                       on_delete=fields.CASCADE)
    community_id: int | None
    version = fields.IntField(default=1)
    settings = fields.JSONField(default=dict)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        app = "moderation"
        table = "moderation_config"


class WatchedWord(Model):
    """A watched word, phrase or link domain, for the whole site or one community.

    ``action`` is block, hold, replace or allow (allow switches off a default or site entry).
    """

    id = fields.IntField(primary_key=True)
    community = fields.ForeignKeyField("core.Community", related_name="moderation_words", null=True,
                                       on_delete=fields.CASCADE)
    community_id: int | None
    kind = fields.CharField(max_length=16, default="word")
    pattern = fields.CharField(max_length=200)
    normalized = fields.CharField(max_length=200)
    action = fields.CharField(max_length=16)
    replacement = fields.CharField(max_length=100, default="")
    created_by = fields.ForeignKeyField("core.Member", related_name="moderation_words_added", null=True,
                                        on_delete=fields.SET_NULL)
    created_by_id: int | None
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        app = "moderation"
        table = "moderation_word"
        indexes = (("community_id", "kind"),)


class Flag(Model):
    """A member's report about a content item: one per member per item."""

    id = fields.IntField(primary_key=True)
    content = fields.ForeignKeyField("core.Content", related_name="moderation_flags", on_delete=fields.CASCADE)
    content_id: int
    community = fields.ForeignKeyField("core.Community", related_name="moderation_flags",
                                       on_delete=fields.CASCADE)
    community_id: int
    member = fields.ForeignKeyField("core.Member", related_name="moderation_flags_given",
                                    on_delete=fields.CASCADE)
    member_id: int
    reason = fields.CharField(max_length=16)
    note = fields.CharField(max_length=1000, default="")
    weight = fields.FloatField(default=1.0)
    state = fields.CharField(max_length=16, default="open")
    created_at = fields.DatetimeField(auto_now_add=True)
    resolved_at = fields.DatetimeField(null=True)

    class Meta:
        app = "moderation"
        table = "moderation_flag"
        unique_together = (("content", "member"),)
        indexes = (("community_id", "state"),)


class Review(Model):
    """A content item that needs (or needed) a moderator: held before publication or flagged."""

    id = fields.IntField(primary_key=True)
    content = fields.OneToOneField("core.Content", related_name="moderation_review", on_delete=fields.CASCADE)
    content_id: int
    community = fields.ForeignKeyField("core.Community", related_name="moderation_reviews",
                                       on_delete=fields.CASCADE)
    community_id: int
    author = fields.ForeignKeyField("core.Member", related_name="moderation_reviews", null=True,
                                    on_delete=fields.SET_NULL)
    author_id: int | None
    state = fields.CharField(max_length=16, default="open")
    cause = fields.CharField(max_length=16, default="held")
    reason = fields.CharField(max_length=500, default="")
    score = fields.FloatField(default=0.0)
    score_reasons = fields.JSONField(default=list)
    flag_weight = fields.FloatField(default=0.0)
    flag_count = fields.IntField(default=0)
    decision = fields.CharField(max_length=16, default="")
    decided_by = fields.ForeignKeyField("core.Member", related_name="moderation_decisions", null=True,
                                        on_delete=fields.SET_NULL)
    decided_by_id: int | None
    decided_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        app = "moderation"
        table = "moderation_review"
        indexes = (("community_id", "state", "id"),)


class Sanction(Model):
    """A warning, silence, suspension or site ban, with its reason and end.

    ``community`` is where it was given (a ban applies to the whole site). ``closed_at`` is
    set when it was lifted early or when the clean-up job saw it end.
    """

    id = fields.IntField(primary_key=True)
    member = fields.ForeignKeyField("core.Member", related_name="moderation_sanctions",
                                    on_delete=fields.CASCADE)
    member_id: int
    community = fields.ForeignKeyField("core.Community", related_name="moderation_sanctions", null=True,
                                       on_delete=fields.CASCADE)
    community_id: int | None
    kind = fields.CharField(max_length=16)
    reason = fields.TextField()
    starts_at = fields.DatetimeField()
    ends_at = fields.DatetimeField(null=True)
    content = fields.ForeignKeyField("core.Content", related_name="moderation_sanctions", null=True,
                                     on_delete=fields.SET_NULL)
    content_id: int | None
    created_by = fields.ForeignKeyField("core.Member", related_name="moderation_sanctions_given",
                                        null=True, on_delete=fields.SET_NULL)
    created_by_id: int | None
    data = fields.JSONField(default=dict)
    closed_at = fields.DatetimeField(null=True)
    close_reason = fields.CharField(max_length=500, default="")
    closed_by = fields.ForeignKeyField("core.Member", related_name="moderation_sanctions_lifted",
                                       null=True, on_delete=fields.SET_NULL)
    closed_by_id: int | None
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        app = "moderation"
        table = "moderation_sanction"
        indexes = (("member_id", "closed_at"), ("community_id", "id"))


class Appeal(Model):
    """An author's one appeal against a decision on their content or a sanction."""

    id = fields.IntField(primary_key=True)
    member = fields.ForeignKeyField("core.Member", related_name="moderation_appeals", on_delete=fields.CASCADE)
    member_id: int
    community = fields.ForeignKeyField("core.Community", related_name="moderation_appeals",
                                       on_delete=fields.CASCADE)
    community_id: int
    content = fields.ForeignKeyField("core.Content", related_name="moderation_appeals", null=True,
                                     on_delete=fields.CASCADE)
    content_id: int | None
    sanction = fields.ForeignKeyField("moderation.Sanction", related_name="appeals", null=True,
                                      on_delete=fields.CASCADE)
    sanction_id: int | None
    message = fields.TextField()
    state = fields.CharField(max_length=16, default="open")
    answer = fields.TextField(default="")
    answered_by = fields.ForeignKeyField("core.Member", related_name="moderation_appeals_answered",
                                         null=True, on_delete=fields.SET_NULL)
    answered_by_id: int | None
    answered_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        app = "moderation"
        table = "moderation_appeal"
        unique_together = (("member", "content"), ("member", "sanction"))
        indexes = (("community_id", "state"),)


class Trust(Model):
    """A member's trust level (0 new, 1 basic, 2 member, 3 regular) and the activity behind it."""

    id = fields.IntField(primary_key=True)
    member = fields.OneToOneField("core.Member", related_name="moderation_trust", on_delete=fields.CASCADE)
    member_id: int
    level = fields.IntField(default=0)
    locked_level = fields.IntField(null=True)
    days_visited = fields.IntField(default=0)
    last_visit_on = fields.DateField(null=True)
    posts_written = fields.IntField(default=0)
    posts_read = fields.IntField(default=0)
    flags_upheld = fields.IntField(default=0)
    computed_at = fields.DatetimeField(null=True)

    class Meta:
        app = "moderation"
        table = "moderation_trust"
