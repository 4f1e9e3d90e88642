"""When each scheduled job last ran (the scheduler's claim table)."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model


class JobRun(Model):
    """One row per job name, updated with a compare-and-set to claim a run."""

    name = fields.CharField(max_length=100, primary_key=True)
    last_run_at = fields.DatetimeField()

    class Meta:
        app = "core"
        table = "job_run"
