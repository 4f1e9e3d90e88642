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
