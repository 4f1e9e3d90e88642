"""Reminders (once per attendee and meet-up), digest sections, the home panel hook, the demo."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from tisserand.jobs import all_jobs
from tisserand.models import Notification
from tisserand.plugins.meetups.location import set_location
from tisserand.plugins.meetups.models import Meetup
from tisserand.plugins.meetups.reminders import send_reminders
from tisserand.plugins.meetups.rsvp import respond
from tisserand.plugins.meetups.service import AchievementData, create_achievement

from .conftest import schedule


def _in(hours: float) -> datetime:
    return datetime.now(UTC).replace(microsecond=0) + timedelta(hours=hours)


async def test_attendees_are_reminded_once_a_day_before(club, site):
    tomorrow = await schedule(club.community, club.organiser, title="Demain", starts_at=_in(20))
    later = await schedule(club.community, club.organiser, title="Plus tard", starts_at=_in(24 * 5))
    await respond(tomorrow.id, club.alice, "yes")
    await respond(tomorrow.id, club.bob, "maybe")
    await respond(later.id, club.alice, "yes")
    assert "meetups.reminders" in all_jobs(site)

    assert await send_reminders(site) == 1
    assert await send_reminders(site) == 0
    notes = await Notification.filter(kind="meetups.reminder")
    assert [(n.member_id, n.content_id) for n in notes] == [(club.alice.id, tomorrow.id)]
    assert "Demain" in notes[0].title

    # Two schedulers at the same moment still send each reminder once.
    await respond(tomorrow.id, club.carol, "yes")
    results = await asyncio.gather(send_reminders(site), send_reminders(site))
    assert sorted(results) == [0, 1]
    assert await Notification.filter(kind="meetups.reminder", member_id=club.carol.id).count() == 1


async def test_no_reminder_for_cancelled_meetups(club, site):
    meetup = await schedule(club.community, club.organiser, starts_at=_in(3))
    await respond(meetup.id, club.alice, "yes")
    await Meetup.filter(id=meetup.id).update(cancelled=True)
    assert await send_reminders(site) == 0


async def test_the_digest_lists_coming_meetups_near_the_member(club, site):
    from tisserand.plugin_manager import resolve_all

    since = datetime.now(UTC) - timedelta(days=7)
    await schedule(club.community, club.organiser, title="Lyon", latitude=45.76, longitude=4.84,
                   starts_at=_in(24 * 3))
    await schedule(club.community, club.organiser, title="Villeurbanne", latitude=45.77, longitude=4.89,
                   starts_at=_in(24 * 10))
    await schedule(club.community, club.organiser, title="Montréal", latitude=45.50, longitude=-73.57,
                   starts_at=_in(24 * 2))
    await schedule(club.community, club.organiser, title="Webinaire", online_url="https://v.example.org",
                   starts_at=_in(24))
    await create_achievement(club.community, club.bob, AchievementData(
        "Jardins", "", 48.42, -71.06, "Saguenay", None, ""))
    until = datetime.now(UTC) + timedelta(seconds=1)

    async def mine(member):
        answers = await resolve_all(site.plugins.hook.digest_sections(member=member, community=club.community,
                                                                      since=since, until=until))
        return [s for sections in answers for s in sections if s.plugin == "meetups"]

    titles = {s.title: [i.text for i in s.items] for s in await mine(club.alice)}
    assert titles["Coming meet-ups"] == ["Webinaire", "Montréal", "Lyon", "Villeurbanne"]
    assert titles["New remarkable achievements"] == ["Jardins"]

    await set_location(club.alice, 45.75, 4.85, "Lyon")
    near = {s.title: s for s in await mine(club.alice)}["Coming meet-ups near you"]
    assert [i.text for i in near.items] == ["Lyon", "Villeurbanne", "Webinaire"]  # Montréal is too far
    assert "km from you" in near.items[0].detail
    assert near.items[0].url.startswith("http://testserver/c/club/meetups/")

    assert await mine(club.outsider)  # a public community: readable by anyone


async def test_the_digest_shows_nothing_of_a_private_community_to_outsiders(club, site, factory):
    from tisserand.plugins.meetups.digest import sections

    private = await factory.community("inner", visibility="private", coordinator=club.coordinator)
    await schedule(private, club.coordinator, title="Interne", starts_at=_in(48))
    until = datetime.now(UTC)
    assert await sections(club.outsider, private, until - timedelta(days=7), until) == []
    assert await sections(club.coordinator, private, until - timedelta(days=7), until)


async def test_the_demo_content_is_believable(site, factory):
    from tisserand.plugins.meetups.demo import add_demo
    from tisserand.plugins.meetups.models import Place

    names = ["camille", "mathieu", "ines", "sophie", "olivier", "amelia", "david", "lea"]
    members = {n: await factory.member(n) for n in names}
    communities = {
        "animateurs": await factory.community("animateurs", coordinator=members["camille"], members={
            members[n]: "member" for n in ("mathieu", "ines", "sophie", "olivier")}),
        "open-data": await factory.community("open-data", coordinator=members["amelia"], members={
            members[n]: "member" for n in ("david", "camille")}),
        "climat-local": await factory.community("climat-local", visibility="private", coordinator=members["ines"]),
    }
    await add_demo(site, communities, members)
    titles = sorted(set(await Meetup.all().values_list("content__title", flat=True)))
    assert titles == ["Café virtuel des animateurs", "Open data meet-up in Lyon", "Soirée des animateurs à Montréal"]
    assert await Meetup.filter(series_id__not_isnull=True).count() == 4
    assert await Place.all().count() == 2
    montreal = await Meetup.get(content__title="Soirée des animateurs à Montréal")
    assert montreal.going_count == 3 and montreal.capacity == 12
