"""Coordinates: validation, coarse rounding, great-circle distance and bounding boxes."""

from __future__ import annotations

import math
from dataclasses import dataclass

from tisserand.errors import ValidationFailed
from tisserand.i18n import _

EARTH_RADIUS_KM = 6371.0088
KM_PER_DEGREE = math.pi * EARTH_RADIUS_KM / 180
#: Two decimals of a degree: at most 1.1 km, the "about 1 km" of members' locations.
COARSE_DECIMALS = 2


def parse_coordinate(raw: object, name: str) -> float | None:
    """A float from a form or JSON value (comma decimals accepted); None when empty."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if isinstance(raw, bool):
        raise ValidationFailed(_("{name} must be a number.", name=name), fields={name: _("A number.")})
    try:
        value = float(str(raw).strip().replace(",", ".")) if isinstance(raw, str) else float(raw)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise ValidationFailed(_("{name} must be a number.", name=name),
                               fields={name: _("A number.")}) from None
    if math.isnan(value) or math.isinf(value):
        raise ValidationFailed(_("{name} must be a number.", name=name), fields={name: _("A number.")})
    return value


def check_point(latitude: float | None, longitude: float | None, *, required: bool = False,
                lat_name: str = "latitude", lon_name: str = "longitude") -> tuple[float, float] | None:
    """Validate a latitude/longitude pair: both or neither (unless ``required``), in range."""
    errors: dict[str, str] = {}
    if latitude is None and longitude is None:
        if required:
            raise ValidationFailed(_("Give a latitude and a longitude, or pick a city."),
                                   fields={lat_name: _("Required."), lon_name: _("Required.")})
        return None
    if latitude is None:
        errors[lat_name] = _("Give the latitude too.")
    elif not -90 <= latitude <= 90:
        errors[lat_name] = _("The latitude must be between -90 and 90.")
    if longitude is None:
        errors[lon_name] = _("Give the longitude too.")
    elif not -180 <= longitude <= 180:
        errors[lon_name] = _("The longitude must be between -180 and 180.")
    if errors:
        raise ValidationFailed(next(iter(errors.values())), fields=errors)
    assert latitude is not None and longitude is not None
    return latitude, longitude


def coarse(latitude: float, longitude: float) -> tuple[float, float]:
    """A point rounded to about 1 km (two decimals of a degree), never more precise."""
    return round(latitude, COARSE_DECIMALS), round(longitude, COARSE_DECIMALS)


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp = p2 - p1
    dl = math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


@dataclass(frozen=True)
class Box:
    """A latitude band and one or two longitude ranges (two when it crosses the 180th meridian)."""

    south: float
    north: float
    lon_ranges: tuple[tuple[float, float], ...]

    def sql(self, lat: str = "latitude", lon: str = "longitude") -> tuple[str, list[float]]:
        """A condition with ``?`` markers for indexed columns ``lat`` and ``lon``."""
        lon_parts = [f"{lon} BETWEEN ? AND ?" for _ in self.lon_ranges]
        params: list[float] = [self.south, self.north]
        for west, east in self.lon_ranges:
            params += [west, east]
        lon_sql = lon_parts[0] if len(lon_parts) == 1 else "(" + " OR ".join(lon_parts) + ")"
        return f"{lat} BETWEEN ? AND ? AND {lon_sql}", params


def bounding_box(latitude: float, longitude: float, km: float) -> Box:
    """Every point within ``km`` of the centre lies inside this box (a cheap pre-filter)."""
    dlat = km / KM_PER_DEGREE
    south, north = max(-90.0, latitude - dlat), min(90.0, latitude + dlat)
    if south <= -90 or north >= 90:
        return Box(south, north, ((-180.0, 180.0),))
    # The widest longitude span is at the latitude farthest from the equator inside the band.
    widest = max(abs(south), abs(north))
    cos = math.cos(math.radians(widest))
    dlon = km / (KM_PER_DEGREE * cos) if cos > 1e-9 else 360.0
    if dlon >= 180:
        return Box(south, north, ((-180.0, 180.0),))
    west, east = longitude - dlon, longitude + dlon
    if west < -180:
        return Box(south, north, ((west + 360, 180.0), (-180.0, east)))
    if east > 180:
        return Box(south, north, ((west, 180.0), (-180.0, east - 360)))
    return Box(south, north, ((west, east),))


def _wrap(longitude: float) -> float:
    return longitude if -180 <= longitude <= 180 else ((longitude + 180) % 360) - 180


def parse_bbox(raw: str | None) -> Box | None:
    """``west,south,east,north`` (the GeoJSON order) from a query string, or None."""
    if not raw:
        return None
    parts = raw.split(",")
    if len(parts) != 4:
        raise ValidationFailed(_("bbox must be four numbers: west,south,east,north."),
                               fields={"bbox": _("west,south,east,north")})
    values = [parse_coordinate(p, "bbox") for p in parts]
    if any(v is None for v in values):
        raise ValidationFailed(_("bbox must be four numbers: west,south,east,north."),
                               fields={"bbox": _("west,south,east,north")})
    west, south, east, north = (float(v) for v in values)  # type: ignore[arg-type]
    south, north = max(-90.0, min(south, north)), min(90.0, max(south, north))
    if east - west >= 360:
        return Box(south, north, ((-180.0, 180.0),))
    west, east = _wrap(west), _wrap(east)
    if west <= east:
        return Box(south, north, ((west, east),))
    return Box(south, north, ((west, 180.0), (-180.0, east)))
