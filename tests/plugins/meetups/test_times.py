"""Time zones: local times across daylight saving changes, validation, display."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from tisserand.errors import ValidationFailed
from tisserand.i18n import set_locale
from tisserand.plugins.meetups import times
from tisserand.plugins.meetups.models import Meetup
from tisserand.plugins.meetups.service import clean_meetup, create_meetups

PARIS = ZoneInfo("Europe/Paris")
NOW = datetime(2031, 1, 1, tzinfo=UTC)


def test_a_weekly_series_keeps_its_local_hour_across_the_spring_change():
    start = times.localize(datetime(2031, 3, 20, 18, 0), PARIS, "starts_at")
    dates = times.repeat(start, start.replace(hour=start.hour + 2), PARIS, "week", 3)
    local = [s.astimezone(PARIS) for s, _ in dates]
    assert [d.strftime("%Y-%m-%d %H:%M") for d in local] == ["2031-03-20 18:00", "2031-03-27 18:00",
                                                             "2031-04-03 18:00"]
    # Paris moved from UTC+1 to UTC+2 on 30 March 2031: same wall clock, one hour less in UTC.
    assert [s.astimezone(UTC).hour for s, _ in dates] == [17, 17, 16]
    assert all(e - s == dates[0][1] - dates[0][0] for s, e in dates)


def test_monthly_series_clamp_to_the_end_of_short_months():
    start = times.localize(datetime(2031, 1, 31, 9, 30), PARIS, "starts_at")
    dates = times.repeat(start, start.replace(hour=11), PARIS, "month", 3)
    assert [s.astimezone(PARIS).strftime("%m-%d %H:%M") for s, _ in dates] == ["01-31 09:30", "02-28 09:30",
                                                                               "03-31 09:30"]


def test_a_time_skipped_by_the_clocks_is_refused_with_a_reason():
    with pytest.raises(ValidationFailed) as error:
        times.localize(datetime(2031, 3, 30, 2, 30), PARIS, "starts_at")
    assert "does not exist" in error.value.message
    assert "starts_at" in error.value.fields


def test_a_repeated_time_in_autumn_is_not_guessed_the_person_chooses():
    with pytest.raises(ValidationFailed) as error:
        times.localize(datetime(2026, 10, 25, 2, 30), PARIS, "starts_at")
    assert "happens twice" in error.value.message and "UTC+02:00" in error.value.message
    assert {"starts_at", "starts_at_fold"} <= set(error.value.fields)
    first = times.localize(datetime(2026, 10, 25, 2, 30), PARIS, "starts_at", fold=0)
    second = times.localize(datetime(2026, 10, 25, 2, 30), PARIS, "starts_at", fold=1)
    assert (first, second) == (datetime(2026, 10, 25, 0, 30, tzinfo=UTC), datetime(2026, 10, 25, 1, 30, tzinfo=UTC))


async def test_an_ambiguous_autumn_time_is_asked_in_the_form_and_the_api(club, client):
    await client.login_as(club.organiser)
    fields = {"title": "Café de la Toussaint", "body": "", "starts_at": "2027-10-31T02:30",
              "ends_at": "2027-10-31T04:00", "timezone": "Europe/Paris",
              "online_url": "https://visio.example.org/nuit"}
    api = await client.api("POST", "/api/v1/communities/club/meetups", json=fields)
    assert api.status_code == 422 and "happens twice" in api.json()["error"]["message"]
    assert not await Meetup.filter(community_id=club.community.id).exists()
    form = await client.post_form("/c/club/meetups/new", fields)
    assert form.status_code == 422
    assert 'name="starts_at_fold" value="0"' in form.text and 'name="starts_at_fold" value="1"' in form.text
    chosen = await client.post_form("/c/club/meetups/new", {**fields, "starts_at_fold": "1"})
    assert chosen.status_code in (302, 303), chosen.text[:300]
    meetup = await Meetup.get(community_id=club.community.id)
    assert meetup.starts_at == datetime(2027, 10, 31, 1, 30, tzinfo=UTC)
    with_offset = await client.api("POST", "/api/v1/communities/club/meetups",
                                   json={**fields, "starts_at": "2027-10-31T02:30+02:00"})
    assert with_offset.status_code == 201, with_offset.text


def test_unknown_zones_are_refused():
    with pytest.raises(ValidationFailed, match="Unknown time zone"):
        times.zone("Mars/Olympus_Mons")


async def test_validation_reports_every_mistake_at_once(site):
    raw = {"title": "", "starts_at": "2031-05-02T20:00", "ends_at": "2031-05-02T18:00",
           "timezone": "Europe/Paris", "latitude": "95", "longitude": "-200", "capacity": "0"}
    with pytest.raises(ValidationFailed) as error:
        await clean_meetup(raw, pick_largest=False, default_timezone="UTC", now=NOW)
    fields = error.value.fields
    assert set(fields) >= {"title", "ends_at", "latitude", "longitude", "capacity"}
    assert "between -90 and 90" in fields["latitude"]
    assert "between -180 and 180" in fields["longitude"]


async def test_validation_messages_are_in_french_too(site):
    set_locale("fr")
    try:
        with pytest.raises(ValidationFailed) as error:
            await clean_meetup({"title": "Café", "starts_at": "2031-05-02T20:00", "ends_at": "2031-05-02T18:00",
                                "timezone": "Europe/Paris", "online_url": "https://visio.example.org"},
                               pick_largest=False, default_timezone="UTC", now=NOW)
        assert error.value.message == "La fin doit venir après le début."
    finally:
        set_locale("en")


async def test_api_times_with_an_offset_are_absolute(site):
    data = await clean_meetup({"title": "Webinaire", "starts_at": "2031-06-01T12:00:00-04:00",
                               "ends_at": "2031-06-01T13:00:00-04:00", "timezone": "America/Toronto",
                               "online_url": "https://visio.example.org/x"},
                              pick_largest=True, default_timezone="UTC", now=NOW)
    assert data.starts_at == datetime(2031, 6, 1, 16, 0, tzinfo=UTC)


async def test_a_series_across_the_change_is_stored_in_utc_and_shown_at_18h(club, client):
    start = times.localize(datetime(2031, 3, 20, 18, 0), PARIS, "starts_at")
    data = await clean_meetup({"title": "Café du jeudi", "starts_at": "2031-03-20T18:00",
                               "ends_at": "2031-03-20T19:00", "timezone": "Europe/Paris",
                               "online_url": "https://visio.example.org/cafe", "repeat_every": "week",
                               "repeat_count": "3"}, pick_largest=False, default_timezone="UTC", now=NOW)
    created = await create_meetups(club.community, club.organiser, data)
    rows = await Meetup.filter(id__in=[c.id for c in created]).order_by("starts_at")
    assert rows[0].starts_at == start
    assert [r.starts_at.astimezone(UTC).hour for r in rows] == [17, 17, 16]
    assert {r.series_id for r in rows} == {created[0].id}
    page = await client.get(f"/c/club/meetups/{created[2].id}")
    assert "6:00\u202fPM" in page.text or "18:00" in page.text
    assert "Europe/Paris (UTC+02:00)" in page.text


async def test_each_viewer_also_sees_the_time_in_their_own_zone(club, client):
    from tisserand.plugins.meetups.service import MeetupData

    start = datetime(2031, 6, 5, 16, 0, tzinfo=UTC)  # 18:00 in Paris, 12:00 in Montréal
    created = await create_meetups(club.community, club.organiser, MeetupData(
        title="Visio", body="", starts_at=start, ends_at=start.replace(hour=17), timezone="Europe/Paris",
        online_url="https://visio.example.org/v"))
    club.alice.timezone = "America/Toronto"
    await club.alice.save(update_fields=["timezone"])
    await client.login_as(club.alice)
    page = await client.get(f"/c/club/meetups/{created[0].id}")
    assert "Your time:" in page.text
    assert "America/Toronto (UTC-04:00)" in page.text
    assert "12:00" in page.text
