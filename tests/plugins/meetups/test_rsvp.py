"""RSVPs: seats, the race for the last seat, the waiting list and its promotions."""

from __future__ import annotations

import asyncio

import pytest

from tisserand.errors import Conflict, ValidationFailed
from tisserand.models import Notification
from tisserand.plugins.meetups.models import Meetup, Rsvp, RsvpState
from tisserand.plugins.meetups.rsvp import rebalance, respond

from .conftest import schedule


async def test_two_people_taking_the_last_seat_at_once_exactly_one_gets_it(club):
    meetup = await schedule(club.community, club.organiser, capacity=1)
    results = await asyncio.gather(respond(meetup.id, club.alice, "yes"), respond(meetup.id, club.bob, "yes"))
    assert sorted(results) == [RsvpState.GOING, RsvpState.WAITLISTED]
    row = await Meetup.get(id=meetup.id)
    assert (row.going_count, row.waitlist_count) == (1, 1)
    assert await Rsvp.filter(meetup_id=meetup.id, state=RsvpState.GOING).count() == 1


async def test_a_crowd_never_overfills_the_room(club, factory):
    meetup = await schedule(club.community, club.organiser, capacity=3)
    crowd = [await factory.member() for _ in range(10)]
    for person in crowd:
        await factory.add_member(club.community, person)
    results = await asyncio.gather(*(respond(meetup.id, person, "yes") for person in crowd))
    assert results.count(RsvpState.GOING) == 3
    assert results.count(RsvpState.WAITLISTED) == 7
    row = await Meetup.get(id=meetup.id)
    assert (row.going_count, row.waitlist_count) == (3, 7)


async def test_a_seat_freed_goes_to_the_first_in_line_who_is_told(club):
    meetup = await schedule(club.community, club.organiser, capacity=1, title="Atelier")
    assert await respond(meetup.id, club.alice, "yes") == RsvpState.GOING
    assert await respond(meetup.id, club.bob, "yes") == RsvpState.WAITLISTED
    assert await respond(meetup.id, club.carol, "yes") == RsvpState.WAITLISTED

    assert await respond(meetup.id, club.alice, "no") == RsvpState.DECLINED

    states = {r.member_id: r.state for r in await Rsvp.filter(meetup_id=meetup.id)}
    assert states[club.bob.id] == RsvpState.GOING  # first in line
    assert states[club.carol.id] == RsvpState.WAITLISTED
    note = await Notification.get(member_id=club.bob.id, kind="meetups.promoted")
    assert "Atelier" in note.title
    assert note.url == f"/c/club/meetups/{meetup.id}"
    assert not await Notification.filter(member_id=club.carol.id, kind="meetups.promoted").exists()


async def test_maybe_does_not_take_a_seat_and_going_again_is_idempotent(club):
    meetup = await schedule(club.community, club.organiser, capacity=1)
    assert await respond(meetup.id, club.alice, "maybe") == RsvpState.MAYBE
    assert await respond(meetup.id, club.bob, "yes") == RsvpState.GOING
    assert await respond(meetup.id, club.bob, "yes") == RsvpState.GOING
    assert await respond(meetup.id, club.alice, "yes") == RsvpState.WAITLISTED
    row = await Meetup.get(id=meetup.id)
    assert (row.going_count, row.waitlist_count, row.maybe_count) == (1, 1, 0)


async def test_nobody_jumps_the_queue_when_a_seat_frees_up(club):
    meetup = await schedule(club.community, club.organiser, capacity=1)
    await respond(meetup.id, club.alice, "yes")
    await respond(meetup.id, club.bob, "yes")  # waiting
    await respond(meetup.id, club.alice, "maybe")  # Bob is promoted in the same transaction
    assert await respond(meetup.id, club.carol, "yes") == RsvpState.WAITLISTED


async def test_more_seats_let_people_in_from_the_waiting_list(club):
    meetup = await schedule(club.community, club.organiser, capacity=1)
    await respond(meetup.id, club.alice, "yes")
    await respond(meetup.id, club.bob, "yes")
    await respond(meetup.id, club.carol, "yes")
    await Meetup.filter(id=meetup.id).update(capacity=2)
    promoted = await rebalance(meetup.id)
    assert [r.member_id for r in promoted] == [club.bob.id]
    assert (await Meetup.get(id=meetup.id)).going_count == 2


async def test_answers_are_refused_for_cancelled_or_finished_meetups(club):
    from datetime import timedelta

    from .conftest import soon

    cancelled = await schedule(club.community, club.organiser)
    await Meetup.filter(id=cancelled.id).update(cancelled=True)
    with pytest.raises(Conflict, match="cancelled"):
        await respond(cancelled.id, club.alice, "yes")
    past = await schedule(club.community, club.organiser, starts_at=soon(-2), ends_at=soon(-2) + timedelta(hours=1))
    with pytest.raises(Conflict, match="over"):
        await respond(past.id, club.alice, "yes")
    with pytest.raises(ValidationFailed):
        await respond(cancelled.id, club.alice, "perhaps")


async def test_leaving_the_community_frees_the_seat(club, site):
    from tisserand.communities import leave

    meetup = await schedule(club.community, club.organiser, capacity=1)
    await respond(meetup.id, club.alice, "yes")
    await respond(meetup.id, club.bob, "yes")
    await leave(club.alice, club.community, site=site)
    assert not await Rsvp.filter(meetup_id=meetup.id, member_id=club.alice.id).exists()
    assert (await Rsvp.get(meetup_id=meetup.id, member_id=club.bob.id)).state == RsvpState.GOING


async def test_rsvp_through_the_page_and_the_api(club, client):
    meetup = await schedule(club.community, club.organiser, capacity=1)
    await client.login_as(club.alice)
    response = await client.post_form(f"/c/club/meetups/{meetup.id}/rsvp", {"answer": "yes"})
    assert response.status_code == 303
    page = await client.get(response.headers["location"])
    assert "You are going" in page.text

    await client.login_as(club.bob)
    answer = await client.api("POST", f"/api/v1/meetups/{meetup.id}/rsvp", json={"answer": "yes"})
    assert answer.status_code == 200
    assert answer.json()["state"] == "waitlisted"
    bad = await client.api("POST", f"/api/v1/meetups/{meetup.id}/rsvp", json={"answer": "perhaps"})
    assert bad.status_code == 422


async def test_observers_and_outsiders_cannot_answer(club, client):
    meetup = await schedule(club.community, club.organiser)
    await client.login_as(club.observer)
    refused = await client.api("POST", f"/api/v1/meetups/{meetup.id}/rsvp", json={"answer": "yes"})
    assert refused.status_code == 403
    client.logout_locally()
    anonymous = await client.api("POST", f"/api/v1/meetups/{meetup.id}/rsvp", json={"answer": "yes"})
    assert anonymous.status_code == 401
