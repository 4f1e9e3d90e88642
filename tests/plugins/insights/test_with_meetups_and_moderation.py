"""Meet-ups and moderation feed insights' weekly metrics through insights_daily_metrics."""

from datetime import UTC, datetime, timedelta

import pytest

from tisserand.plugin_manager import resolve_all


@pytest.fixture
async def trio(site_factory):
    """A site with insights, meetups and moderation (this folder's `site` has insights only)."""
    from tisserand.testing.client import TestClient
    from tisserand.testing.factory import Factory
    from tisserand.web.app import create_app

    site = await site_factory(enabled=["insights", "meetups", "moderation"])
    async with TestClient.for_app(create_app(site, run_scheduler=False)) as client:
        yield site, client, Factory(site)


async def test_attendance_and_open_items_are_measured_per_day(trio):
    from tisserand.plugins.moderation.models import Review

    site, client, factory = trio

    coordinator, ana, ben = await factory.member(), await factory.member(), await factory.member()
    community = await factory.community("cafe", coordinator=coordinator, members={ana: "member", ben: "member"})
    starts = (datetime.now(UTC) + timedelta(days=2)).replace(hour=17, minute=0, second=0, microsecond=0)
    await client.login_as(coordinator)
    made = await client.api("POST", "/api/v1/communities/cafe/meetups", json={
        "title": "Café virtuel", "starts_at": starts.isoformat(), "ends_at": (starts + timedelta(hours=1)).isoformat(),
        "timezone": "Europe/Paris", "online_url": "https://visio.example.org/cafe"})
    assert made.status_code == 201, made.text
    meetup_id = made.json()["id"]
    for member in (ana, ben):
        await client.login_as(member)
        assert (await client.api("POST", f"/api/v1/meetups/{meetup_id}/rsvp", json={"answer": "yes"})).status_code == 200
    held = await factory.content(community, ana, title="À relire")
    await Review.create(content_id=held.id, community_id=community.id, author_id=ana.id, state="open")

    day_start = starts.replace(hour=0)
    relay = site.plugins.for_community(community)
    answers = await resolve_all(relay.insights_daily_metrics(
        community=community, day=day_start.date(), start=day_start, end=day_start + timedelta(days=1)))
    merged = {k: v for answer in answers for k, v in answer.items()}
    assert merged["meetups.attendance"] == 2
    assert merged["moderation.open"] == 1
    before = await resolve_all(relay.insights_daily_metrics(
        community=community, day=(day_start - timedelta(days=3)).date(),
        start=day_start - timedelta(days=3), end=datetime.now(UTC) - timedelta(days=1)))
    assert {k: v for a in before for k, v in a.items()} == {"meetups.attendance": 0, "moderation.open": 0}


async def test_the_hook_is_optional_when_insights_is_off(site_factory):
    site = await site_factory(enabled=["meetups", "moderation"])
    assert "meetups" in site.plugins.enabled  # loading did not fail on the unknown hook
