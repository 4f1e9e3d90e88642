"""Background work tables: the periodic-run ledger (every backend) and the in-process queue."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model


class PeriodicRun(Model):
    """One row per periodic job and period: inserting it is the right to run that period.

    The period number comes from the database's clock, so a process whose clock is wrong
    neither runs a period twice nor stops the others."""

    id = fields.BigIntField(primary_key=True)
    name = fields.CharField(max_length=100)
    slot = fields.BigIntField()
    started_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        app = "core"
        table = "job_periodic_run"
        unique_together = (("name", "slot"),)


class QueuedJob(Model):
    """A job of the in-process queue (SQLite sites, or sites that choose it).

    PostgreSQL sites keep theirs in the tables of procrastinate. Status: todo, doing,
    succeeded, failed."""

    id = fields.BigIntField(primary_key=True)
    task = fields.CharField(max_length=100, db_index=True)
    args = fields.JSONField(default=dict)
    status = fields.CharField(max_length=16, default="todo", db_index=True)
    attempts = fields.IntField(default=0)
    lock = fields.CharField(max_length=200, null=True)
    queueing_lock = fields.CharField(max_length=200, null=True)
    scheduled_at = fields.DatetimeField(null=True)
    started_at = fields.DatetimeField(null=True)
    finished_at = fields.DatetimeField(null=True)
    error = fields.TextField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        app = "core"
        table = "job_queue"


class LiveEvent(Model):
    """A live event (``GET /api/v1/events``), kept a short while so that a client coming back
    with ``Last-Event-ID`` gets what it missed. Who may receive it is decided when it is sent:
    ``member`` (for that member only), ``content`` and ``community`` (for those who may see
    them), ``permission`` (in the community)."""

    id = fields.BigIntField(primary_key=True)
    topic = fields.CharField(max_length=200, db_index=True)
    kind = fields.CharField(max_length=60)
    data = fields.JSONField(default=dict)
    community_id = fields.IntField(null=True)
    content_id = fields.IntField(null=True)
    member_id = fields.IntField(null=True)
    permission = fields.CharField(max_length=100, null=True)
    created_at = fields.DatetimeField(auto_now_add=True, db_index=True)

    class Meta:
        app = "core"
        table = "live_event"
