"""Members' locations: opt-in, coarse, removable at once, seen only by fellow members."""

from __future__ import annotations

from tisserand.models import Member
from tisserand.plugins.meetups.location import members_on_map, set_location

EXACT = (45.523571, -73.600203)  # a front door in Montréal


async def test_a_location_is_rounded_to_about_a_kilometre(club):
    await set_location(club.alice, *EXACT, "Montréal")
    stored = await Member.get(id=club.alice.id)
    assert (stored.latitude, stored.longitude) == (45.52, -73.6)
    assert stored.city == "Montréal"


async def test_only_people_who_share_a_community_see_a_location(club, factory):
    await set_location(club.alice, *EXACT, "Montréal")
    stranger = await factory.member()
    elsewhere = await factory.community("elsewhere", coordinator=stranger)
    assert [m["username"] for m in await members_on_map(club.bob)] == ["alice"]
    assert [m["username"] for m in await members_on_map(club.bob, club.community)] == ["alice"]
    assert await members_on_map(club.outsider) == []
    assert await members_on_map(stranger) == []
    assert await members_on_map(stranger, elsewhere) == []
    assert await members_on_map(None) == []
    admin = await factory.member(admin=True)
    assert await members_on_map(admin, club.community) == []  # not even site admins


async def test_the_maps_and_their_data_follow_the_same_rule(club, client):
    await set_location(club.alice, *EXACT, "Mile End")
    await client.login_as(club.bob)
    data = (await client.get("/c/club/map.geojson")).json()
    members = [f for f in data["features"] if f["properties"]["kind"] == "member"]
    assert [f["properties"]["username"] for f in members] == ["alice"]
    assert members[0]["geometry"]["coordinates"] == [-73.6, 45.52]
    page = await client.get("/c/club/map")
    assert "Alice Martin" in page.text and "Mile End" in page.text
    site_data = (await client.get("/map.geojson")).json()
    assert any(f["properties"].get("username") == "alice" for f in site_data["features"])

    await client.login_as(club.outsider)
    outsider_view = await client.get("/c/club/map")
    assert outsider_view.status_code == 200  # a public community's map…
    assert "Alice Martin" not in outsider_view.text  # …without its members
    for url in ("/c/club/map.geojson", "/map.geojson", "/api/v1/map", "/api/v1/communities/club/map"):
        features = (await client.get(url)).json()["features"]
        assert not [f for f in features if f["properties"]["kind"] == "member"], url
    client.logout_locally()
    anonymous = (await client.get("/c/club/map.geojson")).json()
    assert not [f for f in anonymous["features"] if f["properties"]["kind"] == "member"]


async def test_setting_and_removing_through_the_page(club, client):
    await client.login_as(club.alice)
    page = await client.get("/me/location?q=chicoutimi")
    assert page.status_code == 200
    assert "Chicoutimi, Québec, Canada" in page.text
    found = await client.get("/places/search?q=chicoutimi")
    place_id = found.json()["items"][0]["id"]
    saved = await client.post_form("/me/location", {"place_id": str(place_id)})
    assert saved.status_code == 303
    member = await Member.get(id=club.alice.id)
    assert member.city.startswith("Chicoutimi")
    assert abs(member.latitude - 48.42) < 0.01 and abs(member.longitude + 71.06) < 0.01

    await client.login_as(club.bob)
    assert "Chicoutimi" in (await client.get("/c/club/map")).text

    await client.login_as(club.alice)
    removed = await client.post_form("/me/location/remove", {})
    assert removed.status_code == 303
    member = await Member.get(id=club.alice.id)
    assert member.latitude is None and member.longitude is None and member.city == ""
    await client.login_as(club.bob)
    assert "Chicoutimi" not in (await client.get("/c/club/map")).text


async def test_coordinates_are_checked_and_rounded(club, client):
    await client.login_as(club.alice)
    bad = await client.post_form("/me/location", {"latitude": "123", "longitude": "2"})
    assert bad.status_code == 422
    assert "between -90 and 90" in bad.text
    good = await client.post_form("/me/location", {"latitude": "48,85661", "longitude": "2.35222"})
    assert good.status_code == 303
    member = await Member.get(id=club.alice.id)
    assert (member.latitude, member.longitude) == (48.86, 2.35)


async def test_the_location_page_needs_a_login(client):
    response = await client.get("/me/location")
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login")


async def test_the_api_sets_shows_and_deletes_my_location(club, client):
    await client.login_as(club.alice)
    put = await client.api("PUT", "/api/v1/me/location", json={"city": "Saguenay"})
    assert put.status_code == 200
    assert put.json()["location"]["city"] == "Saguenay, Québec, Canada"
    assert put.json()["location"]["latitude"] == 48.42
    refused = await client.api("PUT", "/api/v1/me/location", json={"latitude": 10, "longitude": 200})
    assert refused.status_code == 422
    assert "between -180 and 180" in refused.json()["error"]["message"]
    deleted = await client.api("DELETE", "/api/v1/me/location")
    assert deleted.status_code == 204
    assert (await Member.get(id=club.alice.id)).latitude is None


async def test_the_account_page_links_here_and_the_api_shows_the_location(club, client):
    await set_location(club.alice, *EXACT, "Montréal")
    await client.login_as(club.alice)
    account = await client.get("/me")
    assert 'href="/me/location"' in account.text
    me = (await client.get("/api/v1/me")).json()
    assert me["location"] == {"city": "Montréal", "latitude": 45.52, "longitude": -73.6}


async def test_a_member_who_keeps_their_location_to_themselves_leaves_the_maps(club):
    await set_location(club.alice, *EXACT, "Montréal")
    await Member.filter(id=club.alice.id).update(profile_visibility={"location": "me"})
    assert await members_on_map(club.bob, club.community) == []
    assert [m["username"] for m in await members_on_map(
        await Member.get(id=club.alice.id), club.community)] == ["alice"]  # they still see themselves
