"""The archive plugin's tables: seasons with objectives, and the end-of-life reminders sent.

The planned end date itself is the core's ``Community.ends_on``; the status (``active`` or
``archived``) is the core's ``Community.status``.
"""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model


class Season(Model):
    """A named period of a community's life (``Automne 2026``), with objectives.

    Seasons of one community do not overlap, so at most one is current on a given day.
    """

    id = fields.IntField(primary_key=True)
    community = fields.ForeignKeyField("core.Community", related_name="archive_seasons",
                                       on_delete=fields.CASCADE)
    community_id: int
    name = fields.CharField(max_length=120)
    description = fields.TextField(default="")
    starts_on = fields.DateField()
    ends_on = fields.DateField()
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        app = "archive"
        table = "archive_season"
        ordering = ["starts_on", "id"]
        indexes = (("community_id", "starts_on"),)

    def __str__(self) -> str:
        return self.name


class Objective(Model):
    """Something the community means to achieve during a season, marked once reached."""

    id = fields.IntField(primary_key=True)
    season = fields.ForeignKeyField("archive.Season", related_name="objectives",
                                    on_delete=fields.CASCADE)
    season_id: int
    text = fields.CharField(max_length=300)
    position = fields.IntField(default=0)
    reached_at = fields.DatetimeField(null=True)
    reached_by = fields.ForeignKeyField("core.Member", related_name="archive_objectives_reached",
                                        null=True, on_delete=fields.SET_NULL)
    reached_by_id: int | None
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        app = "archive"
        table = "archive_objective"
        ordering = ["position", "id"]

    @property
    def reached(self) -> bool:
        """Has the objective been marked reached?"""
        return self.reached_at is not None


class Reminder(Model):
    """One end-of-life reminder sent to a community's coordinators.

    Unique per community, planned end date and number of days before it: inserting the row is
    the claim that makes each reminder go out exactly once, even with several processes. When
    the end is moved, the new date gets its own reminders.
    """

    id = fields.IntField(primary_key=True)
    community = fields.ForeignKeyField("core.Community", related_name="archive_reminders",
                                       on_delete=fields.CASCADE)
    community_id: int
    ends_on = fields.DateField()
    days_before = fields.IntField()
    sent_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        app = "archive"
        table = "archive_reminder"
        unique_together = (("community", "ends_on", "days_before"),)


class EditCount(Model):
    """How many times a content item was edited (counted from ``content_saved``), for the
    "most revised" list of the celebration page when no plugin counts reads."""

    id = fields.IntField(primary_key=True)
    content = fields.OneToOneField("core.Content", related_name="archive_edit_count", on_delete=fields.CASCADE)
    content_id: int
    community = fields.ForeignKeyField("core.Community", related_name="archive_edit_counts",
                                       on_delete=fields.CASCADE)
    community_id: int
    edits = fields.IntField(default=0)
    last_edited_at = fields.DatetimeField(null=True)

    class Meta:
        app = "archive"
        table = "archive_edit_count"
        indexes = (("community_id", "edits"),)


class ExportStatus:
    """Where a :class:`BundleExport` stands."""

    QUEUED = "queued"
    BUILDING = "building"
    READY = "ready"
    FAILED = "failed"
    EXPIRED = "expired"


class BundleExport(Model):
    """A community's bundle built in the background by a worker, kept a few days for download.

    Asked for from the life plan page or ``POST /api/v1/communities/{slug}/exports``; the
    ``archive.build_export`` task builds it and tells who asked; ``archive.exports`` forgets it
    after ``[plugins.archive] export_keep_days``."""

    id = fields.IntField(primary_key=True)
    community = fields.ForeignKeyField("core.Community", related_name="archive_exports",
                                       on_delete=fields.CASCADE)
    requested_by = fields.ForeignKeyField("core.Member", related_name="archive_exports_requested",
                                          null=True, on_delete=fields.SET_NULL)
    include_private = fields.BooleanField(default=False)
    status = fields.CharField(max_length=16, default=ExportStatus.QUEUED)
    file_name = fields.CharField(max_length=200, default="")
    size = fields.BigIntField(default=0)
    error = fields.CharField(max_length=300, default="")
    created_at = fields.DatetimeField(auto_now_add=True)
    finished_at = fields.DatetimeField(null=True)
    expires_at = fields.DatetimeField(null=True)

    class Meta:
        app = "archive"
        table = "archive_export"
        ordering = ["-id"]
        indexes = (("community_id", "status"),)


class ImportStatus:
    """Where a :class:`BundleImport` stands."""

    QUEUED = "queued"
    IMPORTING = "importing"
    DONE = "done"
    REFUSED = "refused"


class BundleImport(Model):
    """A bundle handed to ``tisserand import FILE.zip --queue``: copied into the instance
    folder (``data/archive-imports``), imported by a worker (the ``archive.import_bundle`` task),
    then the copy is deleted. ``community_slug`` is the imported community's address, ``error``
    why the bundle was refused (nothing was imported then)."""

    id = fields.IntField(primary_key=True)
    file_name = fields.CharField(max_length=200, default="")
    original_name = fields.CharField(max_length=255, default="")
    slug = fields.CharField(max_length=64, null=True)
    skip_missing_plugins = fields.BooleanField(default=False)
    status = fields.CharField(max_length=16, default=ImportStatus.QUEUED)
    community_slug = fields.CharField(max_length=64, default="")
    error = fields.CharField(max_length=500, default="")
    created_at = fields.DatetimeField(auto_now_add=True)
    finished_at = fields.DatetimeField(null=True)

    class Meta:
        app = "archive"
        table = "archive_import"
        ordering = ["-id"]
