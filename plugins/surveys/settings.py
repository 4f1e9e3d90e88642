"""The ``[plugins.surveys]`` section of ``tisserand.toml``."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class SurveysSettings(BaseModel):
    """Settings of the surveys plugin, with their defaults."""

    model_config = ConfigDict(extra="forbid")

    #: Days a survey stays open when it is opened without a closing date.
    default_days: int = Field(14, ge=1, le=365)
    #: An anonymous survey shows its results from this many answers on (fewer would let
    #: anyone who knows who answered guess what they said).
    anonymous_min_answers: int = Field(3, ge=1, le=100)
