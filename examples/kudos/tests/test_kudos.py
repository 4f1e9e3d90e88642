"""Kudos, tested from outside the core with the fixtures Tisserand ships (tisserand.testing)."""

from datetime import UTC, datetime, timedelta

import pytest

from tisserand.models import Notification
from tisserand.plugin_manager import resolve_all
from tisserand_kudos.models import Kudos

# Only kudos runs in these tests' sites: other installed plugins cannot interfere.
pytestmark = pytest.mark.plugins("kudos")


async def setup_post(factory, visibility="public"):
    author, reader = await factory.member("autrice"), await factory.member("lecteur")
    community = await factory.community("jardins", visibility=visibility, members={reader: "member"})
    post = await factory.content(community, author, title="Composter en ville")
    return author, reader, community, post


async def test_a_member_thanks_an_author_once(site, client, factory):
    author, reader, community, post = await setup_post(factory)
    await client.login_as(reader)
    response = await client.post_form(f"/c/jardins/kudos/{post.id}", {"next": "/c/jardins"})
    assert response.status_code == 303 and response.headers["location"] == "/c/jardins"
    assert await Kudos.filter(receiver_id=author.id).count() == 1
    notification = await Notification.get(member_id=author.id)
    assert notification.kind == "kudos.received" and "lecteur" in notification.title
    again = await client.post_form(f"/c/jardins/kudos/{post.id}")
    assert again.status_code == 409 and "already thanked" in again.text


async def test_nobody_thanks_themselves_and_observers_cannot(site, client, factory):
    author, reader, community, post = await setup_post(factory)
    await client.login_as(author)
    assert (await client.post_form(f"/c/jardins/kudos/{post.id}")).status_code == 403
    observer = await factory.member()
    await factory.add_member(community, observer, "observer")
    await client.login_as(observer)
    assert (await client.post_form(f"/c/jardins/kudos/{post.id}")).status_code == 403
    assert await Kudos.all().count() == 0


async def test_a_private_community_answers_404_to_outsiders(site, client, factory):
    author, reader, community, post = await setup_post(factory, visibility="private")
    outsider = await factory.member()
    await client.login_as(outsider)
    assert (await client.get("/c/jardins/kudos")).status_code == 404
    assert (await client.post_form(f"/c/jardins/kudos/{post.id}")).status_code == 404


async def test_the_board_profile_and_digest_show_the_thanks(site, client, factory):
    author, reader, community, post = await setup_post(factory)
    await Kudos.create(community=community, content=post, giver=reader, receiver=author)
    board = await client.get("/c/jardins/kudos")
    assert board.status_code == 200 and "autrice" in board.text
    panels = await resolve_all(site.hook.profile_panels(member=author, viewer=None, request=None))
    assert "1 thank-you received" in str(panels[0])
    now = datetime.now(UTC)
    sections = await resolve_all(site.hook.digest_sections(
        member=reader, community=community, since=now - timedelta(days=7), until=now + timedelta(minutes=1)))
    kudos = [s for group in sections for s in group if s.plugin == "kudos"]
    assert kudos and "thanked" in kudos[0].items[0].text


@pytest.mark.plugins("kudos", "forums")
async def test_the_thank_button_shows_under_forum_posts(site, client, factory):
    author, reader = await factory.member("autrice"), await factory.member("lecteur")
    await factory.community("jardins", members={author: "member", reader: "member"})
    await client.login_as(author)
    made = await client.api("POST", "/api/v1/communities/jardins/forum/topics",
                            json={"title": "Semis d'automne", "body": "Que semer en novembre ?"})
    assert made.status_code == 201, made.text
    topic = made.json()
    page_url = f"/c/jardins/forum/t/{topic['id']}-x"
    await client.login_as(reader)
    page = await client.get(page_url, follow_redirects=True)
    assert f'action="/c/jardins/kudos/{topic["id"]}"' in page.text
    await client.login_as(author)
    own = await client.get(page_url, follow_redirects=True)
    assert f'action="/c/jardins/kudos/{topic["id"]}"' not in own.text


@pytest.mark.plugins("kudos", "meetups")
async def test_the_thank_button_shows_under_a_meetup(site, client, factory):
    from datetime import UTC, datetime, timedelta

    organiser, guest = await factory.member("organisatrice"), await factory.member("invite")
    await factory.community("cafe", members={organiser: "animator", guest: "member"})
    starts = datetime.now(UTC) + timedelta(days=3)
    await client.login_as(organiser)
    made = await client.api("POST", "/api/v1/communities/cafe/meetups", json={
        "title": "Café virtuel", "starts_at": starts.isoformat(), "ends_at": (starts + timedelta(hours=1)).isoformat(),
        "timezone": "Europe/Paris", "online_url": "https://visio.example.org/cafe"})
    assert made.status_code == 201, made.text
    meetup_id = made.json()["id"]
    await client.login_as(guest)
    page = await client.get(f"/c/cafe/meetups/{meetup_id}")
    assert page.status_code == 200 and f'action="/c/cafe/kudos/{meetup_id}"' in page.text


async def test_twenty_simultaneous_thanks_leave_one_row_and_one_notification(site, client, factory):
    import asyncio

    author, reader, community, post = await setup_post(factory)
    await client.login_as(reader)
    answers = await asyncio.gather(*[client.post_form(f"/c/jardins/kudos/{post.id}", {"next": "/c/jardins"})
                                     for _ in range(20)])
    codes = sorted(a.status_code for a in answers)
    assert 500 not in codes and codes.count(303) == 1 and set(codes) <= {303, 409}
    assert await Kudos.filter(receiver_id=author.id).count() == 1
    assert await Notification.filter(member_id=author.id, kind="kudos.received").count() == 1
