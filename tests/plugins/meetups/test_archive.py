"""The meetups part of a community archive: out and back in, RSVPs and series included."""

from __future__ import annotations

import json

from tisserand.bundle import FORMAT, Bundle
from tisserand.content import create_content
from tisserand.models import Content
from tisserand.plugins.meetups.bundle import export_rows, import_rows
from tisserand.plugins.meetups.models import Meetup, Place, Rsvp, RsvpState
from tisserand.plugins.meetups.rsvp import respond
from tisserand.plugins.meetups.service import AchievementData, MeetupData, create_achievement, create_meetups

from .conftest import schedule, soon


async def test_meetups_rsvps_and_places_survive_an_export_and_an_import(club, factory, tmp_path):
    start = soon(10)
    series = await create_meetups(club.community, club.organiser, MeetupData(
        title="Café", body="", starts_at=start, ends_at=start.replace(hour=start.hour + 1),
        timezone="America/Toronto", online_url="https://v.example.org/c", repeat_every="week", repeat_count=2,
        capacity=1))
    await respond(series[0].id, club.alice, "yes")
    await respond(series[0].id, club.bob, "yes")  # waiting
    await respond(series[1].id, club.carol, "maybe")
    lone = await schedule(club.community, club.organiser, title="Lyon", latitude=45.76, longitude=4.84,
                          city="Lyon", venue="La Ficelle")
    await Meetup.filter(id=lone.id).update(cancelled=True, cancelled_reason="Grève")
    pinned = await create_achievement(club.community, club.alice, AchievementData(
        "Jardins", "", 48.42, -71.06, "Saguenay", None, "https://example.org"))

    path = tmp_path / "club.zip"
    out = Bundle.create(path)
    await export_rows(club.community, out)
    out.write_json("manifest.json", {"format": FORMAT, "format_version": 1, "plugins": {}, "files": {}})
    out.close()
    assert club.bob.id in out.member_refs

    copy = await factory.community("club-copy", coordinator=club.coordinator)
    back = Bundle.open(path)
    rows = [json.loads(line) for line in back.read_text("meetups/meetups.jsonl").splitlines()]
    assert {r["id"] for r in rows} == {series[0].id, series[1].id, lone.id}
    for old in [*series, lone, pinned]:
        original = await Content.get(id=old.id)
        new = await create_content(kind=original.kind, community=copy, author=club.organiser, title=original.title)
        back.content_ids[old.id] = new.id
    for person in (club.alice, club.bob, club.carol):
        back.member_ids[person.id] = person.id
    await import_rows(copy, back)
    back.close()

    copies = {m.content_id: m for m in await Meetup.filter(community_id=copy.id)}
    first, second = copies[back.content_ids[series[0].id]], copies[back.content_ids[series[1].id]]
    assert first.series_id == second.series_id == back.content_ids[series[0].id]
    assert first.starts_at == series_start(start) and first.timezone == "America/Toronto"
    assert (first.going_count, first.waitlist_count, second.maybe_count) == (1, 1, 1)
    assert first.online_url == "https://v.example.org/c" and first.capacity == 1
    states = {r.member_id: r.state for r in await Rsvp.filter(meetup_id=first.id)}
    assert states == {club.alice.id: RsvpState.GOING, club.bob.id: RsvpState.WAITLISTED}
    cancelled = copies[back.content_ids[lone.id]]
    assert cancelled.cancelled and cancelled.cancelled_reason == "Grève" and cancelled.venue == "La Ficelle"
    place = await Place.get(id=back.content_ids[pinned.id])
    assert (place.latitude, place.longitude, place.link) == (48.42, -71.06, "https://example.org")
    # The waiting list still works after the import.
    await respond(first.id, club.alice, "no")
    assert (await Rsvp.get(meetup_id=first.id, member_id=club.bob.id)).state == RsvpState.GOING


def series_start(start):
    from datetime import UTC

    return start.astimezone(UTC)
