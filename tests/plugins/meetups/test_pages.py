"""The meet-up pages: organise, validation, the online link, edit, cancel, lists, private ones."""

from __future__ import annotations

from tisserand.models import Content, Notification
from tisserand.plugins.meetups.models import Meetup, Place
from tisserand.plugins.meetups.rsvp import respond
from tisserand.testing.queries import count_queries

from .conftest import schedule

FORM = {"title": "Soirée à Montréal", "body": "On se retrouve **au café**.", "starts_at": "2031-05-15T18:00",
        "ends_at": "2031-05-15T20:30", "timezone": "America/Toronto", "venue": "Café Olimpico",
        "address": "124 rue Saint-Viateur Ouest", "city": "Montréal", "capacity": "12", "online_url": ""}


async def test_organising_a_meetup_from_the_form(club, client):
    await client.login_as(club.organiser)
    form = await client.get("/c/club/meetups/new")
    assert form.status_code == 200
    assert 'name="csrf_token"' in form.text and '<label for="starts_at">' in form.text
    created = await client.post_form("/c/club/meetups/new", FORM)
    assert created.status_code == 303, created.text
    meetup = await Meetup.get(id=int(created.headers["location"].rsplit("/", 1)[1]))
    assert meetup.city == "Montréal, Québec, Canada"
    assert abs(meetup.latitude - 45.51) < 0.05 and abs(meetup.longitude + 73.59) < 0.05
    assert meetup.capacity == 12 and meetup.timezone == "America/Toronto"
    assert meetup.starts_at.isoformat() == "2031-05-15T22:00:00+00:00"
    content = await Content.get(id=meetup.id)
    assert content.kind == "meetups.meetup" and "<strong>au café</strong>" in content.html
    page = await client.get(created.headers["location"])
    assert "Soirée à Montréal" in page.text and "Café Olimpico" in page.text
    listing = await client.get("/c/club/meetups")
    assert "Soirée à Montréal" in listing.text


async def test_mistakes_are_explained_next_to_their_fields(club, client):
    await client.login_as(club.organiser)
    response = await client.post_form("/c/club/meetups/new", {
        **FORM, "city": "", "latitude": "91", "longitude": "181", "ends_at": "2031-05-15T17:00",
        "timezone": "Europe/Atlantis"})
    assert response.status_code == 422
    text = response.text
    assert "Unknown time zone" in text
    response = await client.post_form("/c/club/meetups/new", {**FORM, "city": "", "latitude": "91",
                                                              "longitude": "181", "ends_at": "2031-05-15T17:00"})
    text = response.text
    assert "The latitude must be between -90 and 90." in text
    assert "The longitude must be between -180 and 180." in text
    assert "Must be after the start." in text
    assert 'value="Soirée à Montréal"' in text  # what was typed is kept
    assert await Meetup.all().count() == 0


async def test_homonyms_are_offered_to_choose_from(club, client):
    await client.login_as(club.organiser)
    response = await client.post_form("/c/club/meetups/new", {**FORM, "city": "Saint-Denis"})
    assert response.status_code == 422
    assert "Several places are called" in response.text
    assert "Saint-Denis, Réunion" in response.text and "Saint-Denis, Île-de-France, France" in response.text
    import re

    choice = re.search(r'name="place_id" value="(\d+)"[^>]*>\s*Saint-Denis, Île-de-France', response.text)
    assert choice is not None
    done = await client.post_form("/c/club/meetups/new", {**FORM, "city": "Saint-Denis", "place_id": choice[1],
                                                          "timezone": "Europe/Paris"})
    assert done.status_code == 303
    meetup = await Meetup.get(id=int(done.headers["location"].rsplit("/", 1)[1]))
    assert meetup.city == "Saint-Denis, Île-de-France, France"


async def test_the_online_link_is_only_for_people_going(club, client):
    meetup = await schedule(club.community, club.organiser, online_url="https://visio.example.org/secret-room")
    await client.login_as(club.alice)
    before = await client.get(f"/c/club/meetups/{meetup.id}")
    assert "secret-room" not in before.text
    assert "shown to people who are going" in before.text
    api_before = await client.get(f"/api/v1/meetups/{meetup.id}")
    assert "online_url" not in api_before.json() and api_before.json()["online"] is True
    ics_before = await client.get(f"/c/club/meetups/{meetup.id}.ics")
    assert "secret-room" not in ics_before.text
    await respond(meetup.id, club.alice, "yes")
    after = await client.get(f"/c/club/meetups/{meetup.id}")
    assert "https://visio.example.org/secret-room" in after.text
    assert (await client.get(f"/api/v1/meetups/{meetup.id}")).json()["online_url"].endswith("secret-room")
    await client.login_as(club.organiser)
    assert "secret-room" in (await client.get(f"/c/club/meetups/{meetup.id}")).text
    client.logout_locally()
    assert "secret-room" not in (await client.get(f"/c/club/meetups/{meetup.id}")).text
    feed = await client.get("/c/club/meetups.ics")
    assert "secret-room" not in feed.text


async def test_cancelling_keeps_the_meetup_visible_and_tells_attendees(club, client):
    meetup = await schedule(club.community, club.organiser, title="Pique-nique")
    await respond(meetup.id, club.alice, "yes")
    await client.login_as(club.bob)
    refused = await client.post_form(f"/c/club/meetups/{meetup.id}/cancel", {"reason": "pluie"})
    assert refused.status_code == 403
    await client.login_as(club.organiser)
    done = await client.post_form(f"/c/club/meetups/{meetup.id}/cancel", {"reason": "Orage annoncé."})
    assert done.status_code == 303
    page = await client.get(f"/c/club/meetups/{meetup.id}")
    assert "This meet-up is cancelled." in page.text and "Orage annoncé." in page.text
    assert "Cancelled" in (await client.get("/c/club/meetups")).text
    note = await Notification.get(member_id=club.alice.id, kind="meetups.cancelled")
    assert "Pique-nique" in note.title
    await client.login_as(club.bob)
    closed = await client.post_form(f"/c/club/meetups/{meetup.id}/rsvp", {"answer": "yes"})
    assert closed.status_code == 409


async def test_editing_moves_the_meetup_and_tells_attendees(club, client):
    meetup = await schedule(club.community, club.organiser, title="Atelier", online_url="https://v.example.org/a",
                            capacity=1)
    await respond(meetup.id, club.alice, "yes")
    await respond(meetup.id, club.bob, "yes")  # waiting
    await client.login_as(club.organiser)
    form = await client.get(f"/c/club/meetups/{meetup.id}/edit")
    assert 'value="Atelier"' in form.text
    saved = await client.post_form(f"/c/club/meetups/{meetup.id}/edit", {
        "title": "Atelier déplacé", "body": "", "starts_at": "2031-09-10T18:00", "ends_at": "2031-09-10T20:00",
        "timezone": "Europe/Paris", "online_url": "https://v.example.org/a", "capacity": "2"})
    assert saved.status_code == 303, saved.text
    row = await Meetup.get(id=meetup.id)
    assert row.sequence == 1 and row.going_count == 2  # Bob got the new seat
    assert await Notification.filter(member_id=club.alice.id, kind="meetups.changed").exists()
    assert await Notification.filter(member_id=club.bob.id, kind="meetups.promoted").exists()
    await client.login_as(club.alice)
    assert (await client.get(f"/c/club/meetups/{meetup.id}/edit")).status_code == 403


async def test_private_meetups_are_invisible_to_outsiders(club, client, factory):
    private = await factory.community("private-club", visibility="private", coordinator=club.coordinator,
                                      members={club.alice: "member"})
    meetup = await schedule(private, club.coordinator, title="Réunion interne")
    await client.login_as(club.outsider)
    for url in (f"/c/private-club/meetups/{meetup.id}", "/c/private-club/meetups", f"/meetups/{meetup.id}",
                "/c/private-club/meetups.ics", f"/api/v1/meetups/{meetup.id}", "/c/private-club/map"):
        assert (await client.get(url)).status_code == 404, url
    assert "Réunion interne" not in (await client.get("/map")).text
    # The same id under another community's address is not found either.
    assert (await client.get(f"/c/club/meetups/{meetup.id}")).status_code == 404
    await client.login_as(club.alice)
    assert (await client.get(f"/c/private-club/meetups/{meetup.id}")).status_code == 200
    short = await client.get(f"/meetups/{meetup.id}")
    assert short.headers["location"] == f"/c/private-club/meetups/{meetup.id}"


async def test_the_list_and_detail_pages_run_a_constant_number_of_queries(club, client):
    first = await schedule(club.community, club.organiser, title="M0", capacity=5)
    await respond(first.id, club.alice, "yes")
    await client.login_as(club.alice)
    await client.get("/c/club/meetups")  # warm up: other plugins may write once per visit or day
    with count_queries() as few:
        await client.get("/c/club/meetups")
    with count_queries() as detail_few:
        await client.get(f"/c/club/meetups/{first.id}")
    for index in range(1, 8):
        extra = await schedule(club.community, club.organiser, title=f"M{index}")
        await respond(extra.id, club.alice, "yes")
        await respond(first.id, (club.bob, club.carol, club.observer)[index % 3], "maybe")
    with count_queries() as many:
        response = await client.get("/c/club/meetups")
    with count_queries() as detail_many:
        await client.get(f"/c/club/meetups/{first.id}")
    assert response.text.count("meetup-card") >= 8
    assert len(many) == len(few), many.statements
    assert len(detail_many) == len(detail_few), detail_many.statements


async def test_pinning_an_achievement(club, client):
    await client.login_as(club.alice)
    created = await client.post_form("/c/club/achievements/new", {
        "title": "Jardins de pluie", "body": "1 200 m² désimperméabilisés.", "city": "Saguenay",
        "achieved_on": "2025-09-20", "link": "https://example.org/jardins"})
    assert created.status_code == 303, created.text
    place = await Place.get(id=int(created.headers["location"].rsplit("/", 1)[1]))
    assert place.city == "Saguenay, Québec, Canada"
    page = await client.get(created.headers["location"])
    assert "Jardins de pluie" in page.text
    features = (await client.get("/c/club/map.geojson")).json()["features"]
    assert [f["properties"]["title"] for f in features if f["properties"]["kind"] == "achievement"] == [
        "Jardins de pluie"]
    missing = await client.post_form("/c/club/achievements/new", {"title": "Sans lieu"})
    assert missing.status_code == 422
    assert "Give a city, or a latitude and a longitude." in missing.text


async def test_the_community_home_shows_the_next_meetups_and_the_tabs(club, client):
    await schedule(club.community, club.organiser, title="Prochain café")
    home = await client.get("/c/club")
    assert "Prochain café" in home.text
    assert 'href="/c/club/meetups"' in home.text and 'href="/c/club/map"' in home.text
    assert 'href="/map"' in home.text  # the site header's map link


async def test_content_urls_point_to_the_pages(club, site):
    from tisserand.models import Content

    meetup = await schedule(club.community, club.organiser)
    loaded = await Content.get(id=meetup.id).select_related("community")
    assert site.hook.content_url(content=loaded) == f"/c/club/meetups/{meetup.id}"
    bare = await Content.get(id=meetup.id)
    assert site.hook.content_url(content=bare) == f"/meetups/{meetup.id}"  # a redirect, without a query


async def test_archived_communities_and_switched_off_plugins(club, client, factory, site):
    from tisserand.communities import archive_community

    meetup = await schedule(club.community, club.organiser)
    await archive_community(club.community, club.coordinator, site=site)
    await client.login_as(club.alice)
    assert (await client.get(f"/c/club/meetups/{meetup.id}")).status_code == 200
    refused = await client.api("POST", f"/api/v1/meetups/{meetup.id}/rsvp", json={"answer": "yes"})
    assert refused.status_code == 409
    assert (await client.get("/c/club/meetups/new")).status_code == 409
    off = await factory.community("quiet", coordinator=club.coordinator, plugins=[])
    await client.login_as(club.coordinator)
    for url in ("/c/quiet/meetups", "/c/quiet/map", "/c/quiet/meetups.ics"):
        assert (await client.get(url)).status_code == 404, url
    created = await client.api("POST", "/api/v1/communities/quiet/meetups", json={
        "title": "X", "starts_at": "2031-04-10T12:00", "ends_at": "2031-04-10T13:00",
        "timezone": "Europe/Paris", "online_url": "https://v.example.org"})
    assert created.status_code == 404
    assert off.slug == "quiet"


async def test_a_new_city_on_the_edit_form_is_looked_up_again(club, client):
    meetup = await schedule(club.community, club.organiser, city="Lyon", latitude=45.76, longitude=4.84,
                            venue="La Ficelle")
    await client.login_as(club.organiser)
    values = {"title": "Café", "body": "", "starts_at": "2031-09-10T18:00", "ends_at": "2031-09-10T20:00",
              "timezone": "Europe/Paris", "venue": "Salle", "city": "Saguenay", "latitude": "45.76",
              "longitude": "4.84"}
    saved = await client.post_form(f"/c/club/meetups/{meetup.id}/edit", values)
    assert saved.status_code == 303, saved.text
    row = await Meetup.get(id=meetup.id)
    assert row.city == "Saguenay, Québec, Canada" and round(row.latitude) == 48


async def test_the_feed_says_it_is_a_meetup_and_when(client, club):
    """Feed items tell kinds apart: an icon and the label "Meet-up" with the date (issue 22)."""
    from tests.plugins.meetups.conftest import schedule, soon

    start = soon(days=10, hour=17)
    content = await schedule(club.community, club.organiser, title="Café des pratiques", starts_at=start)
    home = (await client.get("/c/club", headers={"Accept-Language": "en"})).text
    item = home.split(f'id="item-{content.id}"')[1].split("</article>")[0]
    assert '<span class="kind kind-meetup"><svg class="icon icon-meetup"' in item
    assert f"Meet-up · {start.strftime('%b')} {start.day}, {start.year}" in item
    feed = (await client.api("GET", "/api/v1/feed")).json()["items"]
    assert next(i["event_at"] for i in feed if i["id"] == content.id).startswith(start.strftime("%Y-%m-%dT"))
