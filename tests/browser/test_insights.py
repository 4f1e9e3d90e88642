"""Insights in a real browser: a coordinator reads the community's charts, opens the table of
numbers and thanks an active member; an administrator reads the site-wide table."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import logged_in, screenshot, serving


@pytest.fixture(scope="module")
def insights_live(tmp_path_factory):
    """A server with the insights plugin only."""
    with serving(tmp_path_factory, "insights-live", ["insights"]) as site:
        yield site


def prepare(live):
    """The community's history, made once per server; fresh sessions for its coordinator and the admin."""
    async def make(site):
        from datetime import UTC, datetime, time, timedelta

        from tisserand.auth import open_session
        from tisserand.models import Content, Member
        from tisserand.plugins.insights.aggregate import aggregate
        from tisserand.plugins.insights.record import day_of, record_content, record_visit, utcnow
        from tisserand.testing.factory import Factory

        factory = Factory(site)
        if await Member.exists(username="root"):  # an earlier test of this module made it
            secrets = {}
            for member in await Member.filter(username__in=["coco", "root"]):
                secrets[member.username], _session = await open_session(site.settings, member, "browser")
            return secrets
        coordinator = await factory.member("coco", display_name="Coco Coordinatrice")
        admin = await factory.member("root", display_name="Admin", admin=True)
        people = [await factory.member(f"membre{i}", display_name=f"Membre {i}") for i in range(6)]
        community = await factory.community("jardins", coordinator=coordinator,
                                            members={p: "member" for p in people})
        today = day_of(utcnow())
        for back in range(70, 0, -1):
            day = today - timedelta(days=back)
            noon = datetime.combine(day, time(12), tzinfo=UTC)
            for index, person in enumerate(people[: 2 + back % 4]):
                await record_visit(community.id, person.id, at=noon)
                if (back + index) % 3 == 0:
                    topic = await Content.create(kind="forum.topic", community=community, author=person, title="Sujet")
                    await record_content(topic, True, at=noon + timedelta(minutes=index))
                    reply = await Content.create(kind="forum.post", community=community,
                                                 author=people[(index + 1) % len(people)], parent=topic)
                    await record_content(reply, True, at=noon + timedelta(hours=2 + index))
        await aggregate(site, today)
        secrets = {}
        for member in (coordinator, admin):
            secrets[member.username], _session = await open_session(site.settings, member, "browser")
        return secrets

    return live.run(make)


def test_a_coordinator_reads_the_insights_and_thanks_a_member(insights_live, new_page):
    live = insights_live
    secrets = prepare(live)
    page = logged_in(new_page, live, secrets["coco"])
    page.goto(live.url + "/c/jardins")
    page.get_by_role("link", name="Insights").click()
    expect(page.get_by_role("heading", name="Insights", exact=True)).to_be_visible()
    # Each chart is an image named by its title, drawn on the server.
    for name in ("Members and active members", "Posts, replies and wiki edits", "Share of topics answered"):
        expect(page.get_by_role("img", name=name)).to_be_visible()
    assert page.locator("svg.insights-chart").count() == 6
    page.get_by_text("All the weekly numbers as a table").click()
    expect(page.locator("#numbers table tbody tr").first).to_be_visible()
    page.get_by_label("Period").select_option("12")
    page.get_by_role("button", name="Show").first.click()
    page.wait_for_url("**/insights?weeks=12*")
    assert page.locator("#numbers tbody tr").count() == 12
    screenshot(page, "insights-community")
    thank = page.get_by_role("button", name="Thank Membre").first
    thank.click()
    expect(page.get_by_role("status")).to_contain_text("received your thanks")


def test_an_administrator_sees_every_community(insights_live, new_page):
    live = insights_live
    secrets = prepare(live)  # also when this test runs alone
    page = logged_in(new_page, live, secrets["root"])
    page.goto(live.url + "/admin/insights")
    expect(page.get_by_role("heading", name="Insights over all communities")).to_be_visible()
    expect(page.get_by_role("row", name="Jardins")).to_be_visible()
    expect(page.get_by_role("img", name="contributions over twelve weeks").first).to_be_visible()
    screenshot(page, "insights-admin")

