"""Meet-up series: one series with dates, edited or cancelled for one date, this date and the
following ones, or all; answers per date; listed once with its next date."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tisserand.models import Content
from tisserand.plugins.meetups.models import Meetup, Rsvp
from tisserand.plugins.meetups.rsvp import respond
from tisserand.plugins.meetups.service import MeetupData, create_meetups
from tisserand.testing.queries import count_queries

from .conftest import soon


async def weekly(club, count: int = 4, title: str = "Atelier", start: datetime | None = None) -> list[int]:
    """A weekly series at 18:00 Paris time; the ids of its dates in order."""
    start = start or soon(days=3, hour=17)
    data = MeetupData(title=title, body="Chaque semaine.", starts_at=start, ends_at=start + timedelta(hours=2),
                      timezone="Europe/Paris", city="Lyon", latitude=45.76, longitude=4.83,
                      repeat_every="week", repeat_count=count)
    return [c.id for c in await create_meetups(club.community, club.organiser, data)]


async def rows(ids: list[int]) -> list[Meetup]:
    found = {m.id: m for m in await Meetup.filter(id__in=ids)}
    return [found[i] for i in ids]


async def test_editing_this_and_the_following_dates_changes_only_those(club, client):
    ids = await weekly(club)
    before = await rows(ids)
    await client.login_as(club.organiser)
    third = before[2]
    new_start = third.starts_at.astimezone(UTC) + timedelta(hours=1)
    response = await client.api("PATCH", f"/api/v1/meetups/{ids[2]}?scope=following", json={
        "title": "Atelier (nouvelle heure)", "venue": "La Ficelle",
        "starts_at": new_start.isoformat(), "ends_at": (new_start + timedelta(hours=2)).isoformat()})
    assert response.status_code == 200, response.text
    assert sorted(response.json()["changed"]) == sorted(ids[2:])
    after = await rows(ids)
    titles = {c.id: c.title for c in await Content.filter(id__in=ids)}
    assert [titles[i] for i in ids] == ["Atelier", "Atelier", "Atelier (nouvelle heure)", "Atelier (nouvelle heure)"]
    assert [m.venue for m in after] == ["", "", "La Ficelle", "La Ficelle"]
    assert [a.starts_at - b.starts_at for a, b in zip(after, before, strict=True)] == [
        timedelta(0), timedelta(0), timedelta(hours=1), timedelta(hours=1)]
    assert after[3].ends_at - after[3].starts_at == timedelta(hours=2)


async def test_editing_all_dates_and_only_this_one(club, client):
    ids = await weekly(club, count=3)
    await client.login_as(club.organiser)
    everything = await client.api("PATCH", f"/api/v1/meetups/{ids[1]}", json={"capacity": 10, "scope": "all"})
    assert everything.status_code == 200, everything.text
    assert [m.capacity for m in await rows(ids)] == [10, 10, 10]
    one = await client.api("PATCH", f"/api/v1/meetups/{ids[1]}", json={"capacity": 3})
    assert one.json()["changed"] == [ids[1]]
    assert [m.capacity for m in await rows(ids)] == [10, 3, 10]
    bad = await client.api("PATCH", f"/api/v1/meetups/{ids[1]}?scope=everything", json={"capacity": 4})
    assert bad.status_code == 422
    await client.login_as(club.alice)
    refused = await client.api("PATCH", f"/api/v1/meetups/{ids[1]}", json={"title": "Mine now"})
    assert refused.status_code == 403


async def test_cancelling_one_date_keeps_the_others_and_all_cancels_the_rest(club, client):
    ids = await weekly(club, count=4)
    await client.login_as(club.organiser)
    one = await client.api("POST", f"/api/v1/meetups/{ids[1]}/cancel", json={"reason": "Férié"})
    assert one.status_code == 200, one.text
    assert [m.cancelled for m in await rows(ids)] == [False, True, False, False]
    following = await client.api("POST", f"/api/v1/meetups/{ids[2]}/cancel?scope=following", json={})
    assert sorted(following.json()["changed"]) == ids[2:]
    assert [m.cancelled for m in await rows(ids)] == [False, True, True, True]


async def test_the_web_forms_offer_the_three_choices_for_a_series(club, client):
    ids = await weekly(club, count=3)
    await client.login_as(club.organiser)
    form = await client.get(f"/c/club/meetups/{ids[0]}/edit")
    assert 'value="following"' in form.text and 'value="all"' in form.text
    detail = await client.get(f"/c/club/meetups/{ids[0]}")
    assert detail.text.count('name="scope"') == 3
    cancelled = await client.post_form(f"/c/club/meetups/{ids[1]}/cancel", {"reason": "", "scope": "all"})
    assert cancelled.status_code == 303
    assert [m.cancelled for m in await rows(ids)] == [True, True, True]
    alone = await client.get(f"/c/club/meetups/{ids[0]}/edit")
    assert 'name="scope"' in alone.text  # still a series (its dates are cancelled, the form is the same)


async def test_answers_are_per_date(club):
    ids = await weekly(club, count=3)
    await respond(ids[1], club.alice, "yes")
    assert not await Rsvp.filter(meetup_id=ids[0]).exists()
    assert (await rows(ids))[0].going_count == 0 and (await rows(ids))[1].going_count == 1


async def test_a_series_is_listed_once_with_its_next_date(club, client):
    ids = await weekly(club, count=5, title="Café du lundi")
    await client.login_as(club.organiser)
    await client.api("POST", f"/api/v1/meetups/{ids[0]}/cancel", json={})
    page = await client.get("/c/club/meetups")
    assert page.text.count("Café du lundi") == 1
    assert "Every week (4 dates)" in page.text
    assert f"/c/club/meetups/{ids[1]}" in page.text  # the next date not cancelled
    home = await client.get("/c/club")  # the next meet-ups panel and the community's feed
    assert all(f"/c/club/meetups/{i}\"" not in home.text for i in ids[2:])
    api = (await client.get("/api/v1/communities/club/meetups")).json()["items"]
    assert [(i["id"], i["series_dates_left"]) for i in api] == [(ids[1], 4)]
    feed = (await client.get("/api/v1/feed?scope=all")).json()["items"]
    assert [i["id"] for i in feed if i["kind"] == "meetups.meetup"] == [ids[0]]
    assert feed[0]["note"].startswith("Every week (4 dates) · next: ")
    front = await client.get("/")
    assert front.text.count(">Café du lundi<") == 1 and "Every week (4 dates) · next: " in front.text
    every = (await client.get("/api/v1/communities/club/meetups?occurrences=1")).json()["items"]
    assert [i["id"] for i in every] == ids


async def test_series_keep_the_list_at_a_constant_number_of_queries(club, client):
    await weekly(club, count=2, title="S0")
    await client.login_as(club.alice)
    await client.get("/c/club/meetups")
    with count_queries() as few:
        await client.get("/c/club/meetups")
    for index in range(1, 5):
        await weekly(club, count=3, title=f"S{index}")
    with count_queries() as many:
        response = await client.get("/c/club/meetups")
    assert response.text.count("meetup-card") >= 5
    assert len(many) == len(few), many.statements


async def test_moving_a_series_past_the_end_of_the_calendar_is_refused(club, client):
    ids = await weekly(club, count=3)
    await client.login_as(club.organiser)
    response = await client.api("PATCH", f"/api/v1/meetups/{ids[0]}", json={
        "starts_at": "9999-12-25T18:00", "ends_at": "9999-12-25T20:00", "scope": "all"})
    assert response.status_code == 422, response.text
    assert all(m.starts_at.year < 9999 for m in await rows(ids))  # nothing changed


async def test_all_leaves_the_dates_already_over_alone(club, client):
    ids = await weekly(club, count=3, start=soon(days=-8, hour=17))  # the first date is over
    await client.login_as(club.organiser)
    response = await client.api("POST", f"/api/v1/meetups/{ids[1]}/cancel", json={"scope": "all"})
    assert sorted(response.json()["changed"]) == ids[1:]
    assert [m.cancelled for m in await rows(ids)] == [False, True, True]


async def test_the_home_feed_notes_series_at_a_constant_number_of_queries(club, client):
    await weekly(club, count=2, title="S0")
    await client.login_as(club.alice)
    await client.get("/")
    with count_queries() as few:
        await client.get("/")
    for index in range(1, 5):
        await weekly(club, count=3, title=f"S{index}")
    with count_queries() as many:
        response = await client.get("/")
    assert response.text.count("Every week (3 dates)") == 4
    assert len(many) == len(few), many.statements


async def test_the_digest_lists_a_series_once_with_its_next_date(club):
    from tisserand.plugins.meetups.digest import sections

    ids = await weekly(club, count=5, title="Atelier")
    await Meetup.filter(id=ids[0]).update(cancelled=True)  # the next date not cancelled is shown
    until = datetime.now(UTC)
    found = {s.title: s.items for s in await sections(club.alice, club.community, until - timedelta(days=7), until)}
    items = found["Coming meet-ups"]
    assert [i.text for i in items] == ["Atelier"]
    assert items[0].url.endswith(f"/meetups/{ids[1]}")
    assert "Every week (4 dates)" in items[0].detail
