"""Near me: distance ordering, the radius, and only what the viewer may see."""

from __future__ import annotations

from datetime import timedelta

from tisserand.plugins.meetups.geo import bounding_box, haversine_km
from tisserand.plugins.meetups.models import Meetup
from tisserand.plugins.meetups.queries import near
from tisserand.testing.queries import count_queries

from .conftest import schedule, soon

LYON = (45.7640, 4.8357)
VILLEURBANNE = (45.7719, 4.8902)  # about 4 km from Lyon
VIENNE = (45.5255, 4.8741)  # about 27 km
GRENOBLE = (45.1885, 5.7245)  # about 95 km
MONTREAL = (45.5017, -73.5673)


def test_haversine_matches_known_distances():
    assert 390 < haversine_km(*LYON, 48.8566, 2.3522) < 393  # Lyon–Paris, about 391 km
    assert round(haversine_km(*MONTREAL, 46.8139, -71.2080)) == 233  # Montréal–Québec


def test_the_bounding_box_contains_the_circle_even_across_the_date_line():
    box = bounding_box(-17.7, 179.9, 50)  # Fiji
    assert len(box.lon_ranges) == 2
    west, east = box.lon_ranges
    assert west[1] == 180.0 and east[0] == -180.0
    polar = bounding_box(89.9, 0, 50)
    assert polar.lon_ranges == ((-180.0, 180.0),)


async def _at(club, point, **fields):
    return await schedule(club.community, club.organiser, latitude=point[0], longitude=point[1],
                          city=fields.pop("city", ""), **fields)


async def test_nearest_first_with_distances_and_the_radius(club):
    far = await _at(club, GRENOBLE, title="Grenoble")
    mid = await _at(club, VIENNE, title="Vienne")
    close = await _at(club, VILLEURBANNE, title="Villeurbanne")
    await _at(club, MONTREAL, title="Montréal")
    rows = await near(club.alice, *LYON, 100)
    assert [r["id"] for r in rows] == [close.id, mid.id, far.id]
    assert [round(r["distance_km"]) for r in rows] == [4, 27, 94]
    assert [r["id"] for r in await near(club.alice, *LYON, 30)] == [close.id, mid.id]


async def test_past_cancelled_and_private_meetups_stay_out(club, factory):
    await _at(club, VILLEURBANNE, title="Passé", starts_at=soon(-3), ends_at=soon(-3) + timedelta(hours=1))
    cancelled = await _at(club, VILLEURBANNE, title="Annulé")
    await Meetup.filter(id=cancelled.id).update(cancelled=True)
    secret = await factory.community("secret-club", visibility="private", coordinator=club.coordinator)
    hidden = await schedule(secret, club.coordinator, latitude=VIENNE[0], longitude=VIENNE[1])
    off = await factory.community("no-meetups", coordinator=club.coordinator, plugins=[])
    await schedule(off, club.coordinator, latitude=VIENNE[0], longitude=VIENNE[1])
    open_one = await _at(club, VIENNE, title="Ouvert")

    assert [r["id"] for r in await near(club.alice, *LYON, 50)] == [open_one.id]
    assert [r["id"] for r in await near(None, *LYON, 50)] == [open_one.id]
    assert {r["id"] for r in await near(club.coordinator, *LYON, 50)} == {open_one.id, hidden.id}


async def test_the_api_answers_nearest_first_with_distance_km(club, client):
    far = await _at(club, GRENOBLE, title="Grenoble")
    close = await _at(club, VILLEURBANNE, title="Villeurbanne")
    await client.login_as(club.alice)
    response = await client.get(f"/api/v1/meetups/near?lat={LYON[0]}&lon={LYON[1]}&km=150")
    assert response.status_code == 200
    items = response.json()["items"]
    assert [i["id"] for i in items] == [close.id, far.id]
    assert items[0]["distance_km"] < items[1]["distance_km"]
    assert items[0]["community"] == "club"
    assert "online_url" not in items[0]

    page = await client.get(f"/api/v1/meetups/near?lat={LYON[0]}&lon={LYON[1]}&km=150&limit=1")
    assert [i["id"] for i in page.json()["items"]] == [close.id]
    following = await client.get(f"/api/v1/meetups/near?lat={LYON[0]}&lon={LYON[1]}&km=150&limit=1"
                                 f"&cursor={page.json()['next']}")
    assert [i["id"] for i in following.json()["items"]] == [far.id]


async def test_near_me_uses_my_saved_location_and_explains_bad_input(club, client):
    close = await _at(club, VILLEURBANNE)
    await client.login_as(club.alice)
    missing = await client.get("/api/v1/meetups/near")
    assert missing.status_code == 422
    assert "lat" in missing.json()["error"]["message"]
    club.alice.latitude, club.alice.longitude = LYON
    await club.alice.save(update_fields=["latitude", "longitude"])
    mine = await client.get("/api/v1/meetups/near?km=10")
    assert [i["id"] for i in mine.json()["items"]] == [close.id]
    wrong = await client.get("/api/v1/meetups/near?lat=91&lon=4")
    assert wrong.status_code == 422
    assert "between -90 and 90" in wrong.json()["error"]["message"]
    too_far = await client.get("/api/v1/meetups/near?lat=45&lon=4&km=100000")
    assert too_far.status_code == 422


async def test_the_near_page_finds_a_city_and_lists_by_distance(club, client):
    far = await _at(club, GRENOBLE, title="Rencontre à Grenoble")
    close = await _at(club, VILLEURBANNE, title="Rencontre à Villeurbanne")
    page = await client.get("/meetups/near?city=lyon&km=100")
    assert page.status_code == 200
    text = page.text
    assert text.index("Rencontre à Villeurbanne") < text.index("Rencontre à Grenoble")
    assert f"/c/club/meetups/{close.id}" in text and f"/c/club/meetups/{far.id}" in text
    unknown = await client.get("/meetups/near?city=Zzyzxqq")
    assert unknown.status_code == 422
    assert "could not find" in unknown.text


async def test_near_me_runs_a_constant_number_of_queries(club):
    for index in range(3):
        await _at(club, VILLEURBANNE, title=f"M{index}")
    with count_queries() as few:
        await near(club.alice, *LYON, 50)
    for index in range(12):
        await _at(club, VIENNE, title=f"N{index}")
    with count_queries() as many:
        rows = await near(club.alice, *LYON, 50)
    assert len(rows) == 15
    assert len(many) == len(few) <= 2


async def test_hidden_meetups_are_skipped_and_the_page_still_fills(club, site):
    from tisserand.content import set_status

    nearest = await _at(club, VILLEURBANNE, title="Caché")
    middle = await _at(club, VIENNE, title="Vienne")
    far = await _at(club, GRENOBLE, title="Grenoble")
    await set_status(nearest, "hidden", actor=club.coordinator, reason="spam", site=site)
    assert [r["id"] for r in await near(club.alice, *LYON, 100, limit=2)] == [middle.id, far.id]
    assert [r["id"] for r in await near(club.alice, *LYON, 100, limit=1, after=(27.0, 0))] == [far.id]
