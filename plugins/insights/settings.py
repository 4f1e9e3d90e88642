"""The ``[plugins.insights]`` section of ``tisserand.toml``."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class InsightsSettings(BaseModel):
    """Settings of the insights plugin, with their defaults."""

    model_config = ConfigDict(extra="forbid")

    #: Content kinds whose every edit counts as a contribution (wiki pages are written together).
    edit_kinds: list[str] = Field(default_factory=lambda: ["wiki.page"])
    #: Content kinds that expect answers: "share of topics answered" and "time to first answer".
    answerable_kinds: list[str] = Field(default_factory=lambda: ["forum.topic"])
    #: Quiet alert: the last two weeks are each below this share of the usual level…
    quiet_ratio: float = Field(0.5, gt=0, lt=1)
    #: …the usual level being the median of this many weeks before them…
    quiet_baseline_weeks: int = Field(10, ge=4, le=26)
    #: …and only for communities whose usual weekly level is at least this (contributions plus
    #: active members), so that a small, calm community is not alerted for nothing.
    quiet_min_level: float = Field(5, ge=1)
    #: Roles told of a quiet period.
    quiet_roles: list[str] = Field(default_factory=lambda: ["coordinator"])
