"""The ``[plugins.archive]`` section of ``tisserand.toml``."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, field_validator


class ArchiveSettings(BaseModel):
    """Reminders, automatic archiving and the limits of imported bundles."""

    model_config = ConfigDict(extra="forbid")

    #: Days before a planned end when coordinators are reminded.
    reminder_days: list[int] = Field(default_factory=lambda: [30, 7])
    #: Archive communities at their planned end (after a reminder).
    auto_archive: bool = True
    #: Days a bundle built in the background stays downloadable.
    export_keep_days: int = Field(7, ge=1, le=90)
    #: Largest bundle file accepted by ``tisserand import``, in bytes.
    import_max_bytes: int = Field(8 * 1024**3, ge=1024)
    #: Most files a bundle may hold.
    import_max_entries: int = Field(200_000, ge=10)
    #: Largest single file inside a bundle, uncompressed.
    import_max_entry_bytes: int = Field(4 * 1024**3, ge=1024)
    #: Largest total, uncompressed.
    import_max_total_bytes: int = Field(16 * 1024**3, ge=1024)
    #: Highest compression ratio of a large file before it is taken for a zip bomb.
    import_max_ratio: int = Field(200, ge=10)

    @field_validator("reminder_days")
    @classmethod
    def _days(cls, value: list[int]) -> list[int]:
        if any(day < 1 or day > 365 for day in value):
            raise ValueError("reminder days must be between 1 and 365")
        return sorted(set(value), reverse=True)

    def limits(self) -> object:
        """The :class:`tisserand.bundle.BundleLimits` these settings describe."""
        from tisserand.bundle import BundleLimits

        return BundleLimits(max_file_bytes=self.import_max_bytes, max_entries=self.import_max_entries,
                            max_entry_bytes=self.import_max_entry_bytes,
                            max_total_bytes=self.import_max_total_bytes, max_ratio=self.import_max_ratio)
