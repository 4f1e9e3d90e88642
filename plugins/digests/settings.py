"""The ``[plugins.digests]`` config section and the frequencies a member may choose."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ConfigDict, Field

if TYPE_CHECKING:
    from tisserand.site import Site

FREQUENCIES = ("never", "daily", "weekly", "monthly")
PERIODS = ("daily", "weekly", "monthly")
Frequency = Literal["never", "daily", "weekly", "monthly"]
Period = Literal["daily", "weekly", "monthly"]


class DigestsSettings(BaseModel):
    """``[plugins.digests]`` in ``tisserand.toml``."""

    model_config = ConfigDict(extra="forbid")

    #: What members get until they choose: never, daily, weekly or monthly.
    default_frequency: Frequency = "weekly"
    #: The scheduled job sends a period's digests from this hour (site time zone) on.
    send_hour: int = Field(7, ge=0, le=23)
    #: Members read from the database per batch.
    batch_size: int = Field(500, ge=1, le=10_000)
    #: Messages handed to the SMTP server at the same time.
    concurrency: int = Field(8, ge=1, le=100)
    #: Tries per message within a run when the server answers "try again later".
    retries: int = Field(3, ge=1, le=10)
    #: Seconds before the first retry; doubled at each new try.
    retry_delay: float = Field(2.0, ge=0)
    #: Runs that may retry a digest that failed for a temporary reason, in all.
    max_attempts: int = Field(5, ge=1)
    #: Consecutive refusals ("bounces") after which e-mails to a member stop.
    max_bounces: int = Field(3, ge=1)
    #: Seconds after which a member claimed by a run that died can be taken by another.
    claim_timeout: int = Field(600, ge=0)
    #: Days an unsubscribe link stays valid.
    unsubscribe_days: int = Field(180, ge=1)
    #: Add the "new members to welcome" section to digests.
    welcome_section: bool = True


def digests_settings(site: Site) -> DigestsSettings:
    """The validated settings (defaults when the plugin was given none)."""
    try:
        value = site.plugin_settings("digests")
    except KeyError:
        return DigestsSettings()
    return value if isinstance(value, DigestsSettings) else DigestsSettings()
