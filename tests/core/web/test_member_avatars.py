"""A community's member list and home page show members' pictures (one query for the list)."""

from __future__ import annotations

import io

from tests.core.uploads import samples
from tisserand.uploads.pictures import picture_url, set_avatar


async def test_member_list_shows_pictures(client, factory):
    coordinator, member = await factory.member("coord"), await factory.member("ines", display_name="Inès")
    community = await factory.community("cercle", coordinator=coordinator, members={member: "member"})
    picture = await set_avatar(member, io.BytesIO(samples.png()), "ines.png")
    await client.login_as(coordinator)
    page = await client.get(f"/c/{community.slug}/members")
    assert page.status_code == 200 and f'src="{picture_url(picture.id)}"' in page.text
    assert 'class="avatar avatar-small"' in page.text  # the coordinator has none: initials


async def test_the_home_feed_shows_the_writers_picture(client, factory):
    from tests.core.web.helpers import note

    writer = await factory.member("ecrivaine", display_name="Élise")
    community = await factory.community("ouvert", members={writer: "member"})
    await note(factory, community, writer, title="Avec portrait")
    picture = await set_avatar(writer, io.BytesIO(samples.png()), "elise.png")
    page = await client.get("/")
    assert "Avec portrait" in page.text and f'src="{picture_url(picture.id)}"' in page.text
