"""The "my meet-ups" calendar behind a member's secret URL: what they answered and their
communities' meet-ups, nothing of a private community they are not in, dead after a reset."""

from __future__ import annotations

from icalendar import Calendar

from tisserand.feeds import personal_feed_urls, reset_feed_secret
from tisserand.plugins.meetups.rsvp import respond
from tisserand.site import current_site

from .conftest import schedule


def _path(url: str) -> str:
    return url.removeprefix("http://testserver")


async def test_my_calendar_holds_my_answers_and_my_communities_meetups(club, client, factory):
    elsewhere = await factory.community("elsewhere", coordinator=club.coordinator)
    private = await factory.community("inner-circle", visibility="private", coordinator=club.coordinator)
    mine = await schedule(club.community, club.organiser, title="Club night", online_url="https://v.example.org/c")
    answered = await schedule(elsewhere, club.coordinator, title="Answered elsewhere")
    await schedule(elsewhere, club.coordinator, title="Not for me")
    await schedule(private, club.coordinator, title="Inner secret")
    await respond(answered.id, club.alice, "maybe")
    await respond(mine.id, club.alice, "yes")
    urls = await personal_feed_urls(current_site(), club.alice)
    assert urls["calendar_url"].endswith("/meetups.ics")
    response = await client.get(_path(urls["calendar_url"]))  # no cookie
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/calendar")
    events = {str(e["SUMMARY"]): e for e in Calendar.from_ical(response.content).walk("VEVENT")}
    assert set(events) == {"Club night", "Answered elsewhere"}
    assert "v.example.org" in str(events["Club night"]["DESCRIPTION"])  # going: the link is given

    outsider = await personal_feed_urls(current_site(), club.outsider)
    theirs = await client.get(_path(outsider["calendar_url"]))
    assert "Inner secret" not in theirs.text and "Club night" not in theirs.text

    await reset_feed_secret(current_site(), club.alice)
    assert (await client.get(_path(urls["calendar_url"]))).status_code == 404


async def test_a_series_has_every_date_in_the_calendar_but_one_entry_in_the_feed(club, client):
    from datetime import timedelta

    from tisserand.plugins.meetups.service import MeetupData, create_meetups

    from .conftest import soon

    start = soon(days=2)
    data = MeetupData(title="Hebdo", body="", starts_at=start, ends_at=start + timedelta(hours=1),
                      timezone="Europe/Paris", city="Lyon", repeat_every="week", repeat_count=3)
    await create_meetups(club.community, club.organiser, data)
    urls = await personal_feed_urls(current_site(), club.alice)
    calendar = Calendar.from_ical((await client.get(_path(urls["calendar_url"]))).content)
    assert [str(e["SUMMARY"]) for e in calendar.walk("VEVENT")] == ["Hebdo"] * 3
    atom = (await client.get(_path(urls["atom_url"]))).text
    assert atom.count("<title>Hebdo</title>") == 1
