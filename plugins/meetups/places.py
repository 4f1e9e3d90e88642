"""Turning what a person typed (coordinates, a city, a picked GeoNames id) into a place."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from tisserand.errors import ValidationFailed
from tisserand.i18n import _

from .gazetteer import City, gazetteer
from .geo import check_point, parse_coordinate


class AmbiguousPlace(ValidationFailed):
    """Several places have this name: the person must pick one (``choices``)."""

    def __init__(self, query: str, choices: list[City]) -> None:
        super().__init__(_("Several places are called \u201c{name}\u201d: pick the one you mean.", name=query),
                         fields={"city": _("Pick one of the places listed.")})
        self.query = query
        self.choices = choices


@dataclass
class Place:
    """A resolved place: coordinates (or none) and a label for people."""

    latitude: float | None = None
    longitude: float | None = None
    city: str = ""
    timezone: str = ""
    candidates: list[City] = field(default_factory=list)


def _dominant(matches: list[City]) -> bool:
    """Is the first match the one everybody means (Paris, France over Paris, Texas)?"""
    return matches[0].population >= 10 * max(1, matches[1].population)


async def resolve_place(raw: Mapping[str, Any], *, pick_largest: bool, required: bool = False) -> Place:
    """Read ``latitude``/``longitude``, else ``place_id`` (a city picked from a list), else
    ``city`` (looked up in the gazetteer). With several exact homonyms, ``pick_largest``
    takes the most populous (the API); otherwise :class:`AmbiguousPlace` is raised (forms)
    unless one is ten times larger than the others, which is what people mean by "Paris"."""
    latitude = parse_coordinate(raw.get("latitude"), "latitude")
    longitude = parse_coordinate(raw.get("longitude"), "longitude")
    city_text = str(raw.get("city") or "").strip()[:200]
    point = check_point(latitude, longitude)
    if point is not None:
        return Place(round(point[0], 6), round(point[1], 6), city_text)
    place_id = str(raw.get("place_id") or "").strip()
    if place_id:
        try:
            picked = (await gazetteer()).get(int(place_id))
        except ValueError:
            picked = None
        if picked is None:
            raise ValidationFailed(_("This place is not in the list any more: search again."),
                                   fields={"city": _("Search again.")})
        return Place(picked.latitude, picked.longitude, picked.label, picked.timezone)
    if not city_text:
        if required:
            raise ValidationFailed(_("Give a city, or a latitude and a longitude."),
                                   fields={"city": _("Required.")})
        return Place()
    found = await gazetteer()
    matches = found.exact(city_text)
    if not matches:
        suggestions = found.search(city_text, limit=8)
        if suggestions and not pick_largest:
            raise AmbiguousPlace(city_text, suggestions)
        raise ValidationFailed(
            _("We could not find \u201c{name}\u201d. Check the spelling, or give a latitude and a longitude.",
              name=city_text),
            fields={"city": _("Unknown place.")})
    if len(matches) > 1 and not pick_largest and not _dominant(matches):
        raise AmbiguousPlace(city_text, matches[:10])
    best = matches[0]
    return Place(best.latitude, best.longitude, best.label, best.timezone)
