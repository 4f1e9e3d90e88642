"""A meet-up's list of people going shows their pictures (the core's avatar macro)."""

from __future__ import annotations

import io

from tests.core.uploads import samples
from tisserand.plugins.meetups.rsvp import respond
from tisserand.uploads.pictures import picture_url, set_avatar

from .conftest import schedule


async def test_people_going_are_shown_with_their_pictures(club, client):
    meetup = await schedule(club.community, club.organiser, title="Pique-nique")
    await respond(meetup.id, club.alice, "yes")
    await respond(meetup.id, club.bob, "yes")
    picture = await set_avatar(club.alice, io.BytesIO(samples.png()), "alice.png")
    await client.login_as(club.organiser)
    page = await client.get(f"/c/{club.community.slug}/meetups/{meetup.id}")
    assert page.status_code == 200
    assert f'src="{picture_url(picture.id)}"' in page.text and "Bob Tremblay" in page.text
    assert 'aria-hidden="true">BT</span>' in page.text  # Bob has none: his initials
