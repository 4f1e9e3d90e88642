"""iCalendar files parsed back with ``icalendar``, and the JSON API of meet-ups."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from icalendar import Calendar

from tisserand.plugins.meetups.models import Meetup
from tisserand.plugins.meetups.rsvp import respond

from .conftest import schedule


async def test_a_meetup_ics_has_its_zone_and_place(club, client):
    start = datetime(2031, 3, 28, 17, 0, tzinfo=UTC)
    meetup = await schedule(club.community, club.organiser, title="Café à Lyon", starts_at=start,
                            ends_at=start.replace(hour=19), timezone="Europe/Paris", venue="La Ficelle",
                            city="Lyon", latitude=45.78, longitude=4.83)
    response = await client.get(f"/c/club/meetups/{meetup.id}.ics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    event = next(iter(calendar.walk("VEVENT")))
    assert str(event["SUMMARY"]) == "Café à Lyon"
    dtstart = event.decoded("DTSTART")
    assert dtstart == start and dtstart.tzinfo.key == "Europe/Paris" and dtstart.hour == 18
    assert event["DTSTART"].params["TZID"] == "Europe/Paris"
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/Paris"]
    assert str(event["LOCATION"]) == "La Ficelle, Lyon"
    assert event["GEO"].latitude == 45.78
    assert str(event["STATUS"]) == "CONFIRMED"
    assert str(event["UID"]) == f"meetup-{meetup.id}@testserver"
    assert str(event["URL"]).endswith(f"/c/club/meetups/{meetup.id}")


async def test_the_community_feed_lists_each_zone_once_and_marks_cancellations(club, client):
    paris = await schedule(club.community, club.organiser, title="Paris", timezone="Europe/Paris")
    montreal = await schedule(club.community, club.organiser, title="Montréal", timezone="America/Toronto",
                              online_url="https://v.example.org/m")
    await Meetup.filter(id=montreal.id).update(cancelled=True, sequence=1)
    calendar = Calendar.from_ical((await client.get("/c/club/meetups.ics")).content)
    events = {str(e["SUMMARY"]): e for e in calendar.walk("VEVENT")}
    assert set(events) == {"Paris", "Montréal"}
    assert str(events["Montréal"]["STATUS"]) == "CANCELLED" and int(events["Montréal"]["SEQUENCE"]) == 1
    assert events["Montréal"].decoded("DTSTART").tzinfo == ZoneInfo("America/Toronto")
    assert sorted(str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")) == ["America/Toronto", "Europe/Paris"]
    assert paris.id != montreal.id


async def test_the_api_creates_a_meetup_as_documented(club, client):
    await client.login_as(club.organiser)
    response = await client.api("POST", "/api/v1/communities/club/meetups", json={
        "title": "Webinaire données ouvertes", "body": "Trois **retours** d'expérience.",
        "starts_at": "2031-04-10T12:00:00", "ends_at": "2031-04-10T13:30:00", "timezone": "America/Toronto",
        "online_url": "https://visio.example.org/w", "capacity": 100})
    assert response.status_code == 201, response.text
    data = response.json()
    assert data["kind"] == "meetups.meetup" and data["community"] == "club"
    assert data["starts_at"] == "2031-04-10T12:00:00-04:00"
    assert data["online_url"] == "https://visio.example.org/w"  # the organiser sees it
    assert "<strong>retours</strong>" in data["html"]
    assert data["status"] == "published" and data["author"] == "organiser"

    city = await client.api("POST", "/api/v1/communities/club/meetups", json={
        "title": "À Paris", "body": "", "starts_at": "2031-04-10T18:00", "ends_at": "2031-04-10T20:00",
        "timezone": "Europe/Paris", "city": "Paris", "repeat": {"every": "month", "count": 3}})
    assert city.status_code == 201
    assert city.json()["city"] == "Paris, Île-de-France, France"
    assert len(city.json()["series"]) == 3

    listed = await client.get("/api/v1/communities/club/meetups?limit=2&occurrences=1")
    assert [i["title"] for i in listed.json()["items"]] == ["Webinaire données ouvertes", "À Paris"]
    following = await client.get(
        f"/api/v1/communities/club/meetups?limit=2&occurrences=1&cursor={listed.json()['next']}")
    assert following.status_code == 200, following.text
    assert [i["title"] for i in following.json()["items"]] == ["À Paris", "À Paris"]
    once = (await client.get("/api/v1/communities/club/meetups")).json()["items"]
    assert [(i["title"], i.get("series_dates_left")) for i in once] == [
        ("Webinaire données ouvertes", None), ("À Paris", 3)]
    assert once[1]["repeat_every"] == "month"


async def test_the_api_refuses_bad_input_with_clear_messages(club, client):
    await client.login_as(club.organiser)
    base = {"title": "X", "body": "", "starts_at": "2031-04-10T12:00", "ends_at": "2031-04-10T13:00",
            "timezone": "Europe/Paris", "online_url": "https://v.example.org"}
    cases = [({"latitude": -91, "longitude": 2}, "latitude", "between -90 and 90"),
             ({"latitude": 45, "longitude": 190}, "longitude", "between -180 and 180"),
             ({"ends_at": "2031-04-10T11:00"}, "ends_at", "after the start"),
             ({"timezone": "Europe/Lutece"}, "timezone", "Unknown time zone"),
             ({"starts_at": "tomorrow"}, "starts_at", "not a date and time"),
             ({"starts_at": "2031-03-30T02:30", "ends_at": "2031-03-30T04:00"}, "starts_at", "does not exist"),
             ({"online_url": "", "city": ""}, "online_url", "a place, an online link, or both"),
             ({"capacity": 0}, "capacity", "between 1 and 100,000"),
             ({"colour": "red"}, "colour", "Unknown field")]
    for change, field, words in cases:
        response = await client.api("POST", "/api/v1/communities/club/meetups", json={**base, **change})
        assert response.status_code == 422, (change, response.text)
        error = response.json()["error"]
        assert field in error.get("fields", {}), (change, error)
        assert words in error["message"] or words in error["fields"][field], (change, error)
    assert await Meetup.all().count() == 0
    await client.login_as(club.observer)
    observer = await client.api("POST", "/api/v1/communities/club/meetups", json=base)
    assert observer.status_code == 403


async def test_attendees_are_listed_for_members_only(club, client):
    meetup = await schedule(club.community, club.organiser, capacity=1)
    await respond(meetup.id, club.alice, "yes")
    await respond(meetup.id, club.bob, "yes")
    await client.login_as(club.carol)
    response = await client.get(f"/api/v1/meetups/{meetup.id}/attendees")
    assert [(i["username"], i["state"]) for i in response.json()["items"]] == [("alice", "going"),
                                                                               ("bob", "waitlisted")]
    client.logout_locally()
    assert (await client.get(f"/api/v1/meetups/{meetup.id}/attendees")).status_code == 401
    await client.login_as(club.outsider)
    assert (await client.get(f"/api/v1/meetups/{meetup.id}/attendees")).status_code == 403
    page = await client.get(f"/c/club/meetups/{meetup.id}")
    assert "Alice Martin" not in page.text and "1 going" in page.text


async def test_the_api_cancels_and_answers_the_viewer_state(club, client):
    meetup = await schedule(club.community, club.organiser)
    await client.login_as(club.alice)
    await client.api("POST", f"/api/v1/meetups/{meetup.id}/rsvp", json={"answer": "maybe"})
    assert (await client.get(f"/api/v1/meetups/{meetup.id}")).json()["viewer_state"] == "maybe"
    assert (await client.api("POST", f"/api/v1/meetups/{meetup.id}/cancel", json={})).status_code == 403
    await client.login_as(club.coordinator)
    cancelled = await client.api("POST", f"/api/v1/meetups/{meetup.id}/cancel", json={"reason": "Grève"})
    assert cancelled.status_code == 200 and cancelled.json()["cancelled"] is True
