"""The insights plugin's tables.

Raw facts, each written with one cheap insert by a hook: ``Visit`` (a member read a community
on a day), ``Event`` (a contribution, an edit, a member joining or leaving), ``Thread`` (a topic
and when it was first answered), ``Review`` (content held for moderation until resolved).
``Daily`` rows are computed from them by the ``insights.aggregate`` job, and every chart and
API answer reads the daily rows. ``Dirty`` lists past days to compute again, ``Alert`` the
quiet periods already told to coordinators.
"""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model


class Visit(Model):
    """A member read pages of a community on a day (local day of the site)."""

    id = fields.IntField(primary_key=True)
    community = fields.ForeignKeyField("core.Community", related_name="insights_visits", on_delete=fields.CASCADE)
    community_id: int
    member = fields.ForeignKeyField("core.Member", related_name="insights_visits", on_delete=fields.CASCADE)
    member_id: int
    day = fields.DateField()

    class Meta:
        app = "insights"
        table = "insights_visit"
        unique_together = (("community", "member", "day"),)
        indexes = (("day", "community_id"),)


class Event(Model):
    """Something that happened in a community, told by a core hook.

    ``action`` is new (a top-level item), reply, edit, join or leave. ``counted`` is false while
    the content is not published (held, hidden, deleted). ``root_id`` is the topic a reply
    belongs to.
    """

    id = fields.IntField(primary_key=True)
    community = fields.ForeignKeyField("core.Community", related_name="insights_events", on_delete=fields.CASCADE)
    community_id: int
    member_id = fields.IntField(null=True)
    kind = fields.CharField(max_length=40)
    action = fields.CharField(max_length=8)
    content_id = fields.IntField(null=True)
    root_id = fields.IntField(null=True)
    counted = fields.BooleanField(default=True)
    happened_at = fields.DatetimeField()
    day = fields.DateField()

    class Meta:
        app = "insights"
        table = "insights_event"
        indexes = (("community_id", "day"), ("content_id",), ("root_id",), ("day", "action"))


class Thread(Model):
    """A topic that can be answered, and its first answer by someone else than its author."""

    id = fields.IntField(primary_key=True)
    community = fields.ForeignKeyField("core.Community", related_name="insights_threads", on_delete=fields.CASCADE)
    community_id: int
    content_id = fields.IntField(unique=True)
    author_id = fields.IntField(null=True)
    created_at = fields.DatetimeField()
    day = fields.DateField()
    counted = fields.BooleanField(default=True)
    first_reply_at = fields.DatetimeField(null=True)

    class Meta:
        app = "insights"
        table = "insights_thread"
        indexes = (("community_id", "day"),)


class Review(Model):
    """Content waiting for a moderator: from the moment it was held until it was resolved."""

    id = fields.IntField(primary_key=True)
    community = fields.ForeignKeyField("core.Community", related_name="insights_reviews", on_delete=fields.CASCADE)
    community_id: int
    content_id = fields.IntField()
    held_at = fields.DatetimeField()
    resolved_at = fields.DatetimeField(null=True)

    class Meta:
        app = "insights"
        table = "insights_review"
        indexes = (("community_id", "resolved_at"), ("content_id",))


class Daily(Model):
    """One community on one day, computed by the aggregation job.

    ``active`` counts members who read or contributed that day, ``active_week`` since the
    Monday of that week, ``active_7d`` and ``active_28d`` over the days ending that day.
    ``answer_minutes`` lists, for the topics opened that day and answered since, the minutes
    until their first answer. ``by_kind`` counts new items, replies and edits per content kind.
    ``extra`` holds the numbers other plugins give through ``insights_daily_metrics``.
    """

    id = fields.IntField(primary_key=True)
    community = fields.ForeignKeyField("core.Community", related_name="insights_days", on_delete=fields.CASCADE)
    community_id: int
    day = fields.DateField()
    members = fields.IntField(default=0)
    joined = fields.IntField(default=0)
    departed = fields.IntField(default=0)
    readers = fields.IntField(default=0)
    contributors = fields.IntField(default=0)
    active = fields.IntField(default=0)
    active_week = fields.IntField(default=0)
    active_7d = fields.IntField(default=0)
    active_28d = fields.IntField(default=0)
    posts = fields.IntField(default=0)
    replies = fields.IntField(default=0)
    wiki_edits = fields.IntField(default=0)
    edits = fields.IntField(default=0)
    topics = fields.IntField(default=0)
    answered = fields.IntField(default=0)
    answer_minutes = fields.JSONField(default=list)
    pending = fields.IntField(default=0)
    by_kind = fields.JSONField(default=dict)
    extra = fields.JSONField(default=dict)
    computed_at = fields.DatetimeField()

    class Meta:
        app = "insights"
        table = "insights_daily"
        unique_together = (("community", "day"),)
        indexes = (("day",),)


class Dirty(Model):
    """A past day whose daily row must be computed again (a late moderation decision, a topic
    answered days after it was opened)."""

    id = fields.IntField(primary_key=True)
    community = fields.ForeignKeyField("core.Community", related_name="insights_dirty", on_delete=fields.CASCADE)
    community_id: int
    day = fields.DateField()

    class Meta:
        app = "insights"
        table = "insights_dirty"
        unique_together = (("community", "day"),)


class Alert(Model):
    """A quiet period of a community: opened when activity fell well below its usual level for
    two weeks (coordinators are told once), ended when activity came back."""

    id = fields.IntField(primary_key=True)
    community = fields.ForeignKeyField("core.Community", related_name="insights_alerts", on_delete=fields.CASCADE)
    community_id: int
    kind = fields.CharField(max_length=20, default="quiet")
    started_on = fields.DateField()
    ended_on = fields.DateField(null=True)
    level = fields.FloatField(default=0)
    usual = fields.FloatField(default=0)
    notified = fields.IntField(default=0)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        app = "insights"
        table = "insights_alert"
        indexes = (("community_id", "ended_on"),)
