"""The insights pages and API: who sees them, the charts and their fallbacks, thanks, the
site-wide table for administrators."""

from __future__ import annotations

from datetime import date, timedelta

from tests.plugins.insights.conftest import generate, local
from tisserand.models import Content, Notification
from tisserand.plugins.insights.aggregate import aggregate
from tisserand.plugins.insights.record import day_of, record_content, utcnow
from tisserand.testing.queries import count_queries


async def test_coordinators_see_charts_with_titles_and_a_table(client, site, crew):
    today = day_of(utcnow())
    await generate(crew, weeks=4, today=today)
    await aggregate(site, today)
    await client.login_as(crew.animator)
    page = await client.get(f"/c/{crew.slug}/insights")
    assert page.status_code == 200
    html = page.text
    assert 'aria-current="page">Insights</a>' in html
    for title in ("Members and active members", "New and leaving members", "Posts, replies and wiki edits",
                  "Share of topics answered", "Median time to a first answer", "Content awaiting review"):
        assert f"<h3>{title}</h3>" in html
    assert html.count('<svg class="insights-chart" role="img"') == 6
    assert '<title id="chart-active-t">Members and active members</title>' in html
    assert "All the weekly numbers as a table" in html and "Week of" in html
    # No plugin reports meet-up attendance here.
    assert "n/a: no plugin of this community reports meet-up attendance." in html
    assert "Most active contributors" in html and "Thank Membre" in html
    csv = await client.get(f"/c/{crew.slug}/insights/weekly.csv?weeks=12")
    assert csv.status_code == 200 and csv.text.splitlines()[0].startswith("week_start,members,joined")
    assert len(csv.text.strip().splitlines()) == 13


async def test_only_staff_see_insights(client, site, crew, factory):
    url = f"/c/{crew.slug}/insights"
    await client.login_as(crew.coordinator)
    assert "No numbers yet" in (await client.get(url)).text
    await client.login_as(crew.members[0])
    assert (await client.get(url)).status_code == 403
    assert "/insights" not in (await client.get(f"/c/{crew.slug}")).text
    assert (await client.api("GET", f"/api/v1/communities/{crew.slug}/insights/weekly")).status_code == 403
    await client.login_as(crew.coordinator)
    assert f'href="{url}"' in (await client.get(f"/c/{crew.slug}")).text
    secret = await factory.community("cercle", visibility="secret", coordinator=crew.coordinator)
    await client.login_as(crew.outsider)
    assert (await client.get(f"/c/{secret.slug}/insights")).status_code == 404
    off = await factory.community("sans", plugins=[], coordinator=crew.coordinator)
    await client.login_as(crew.coordinator)
    assert (await client.get(f"/c/{off.slug}/insights")).status_code == 404


async def test_the_weekly_api_gives_the_numbers_of_the_charts(client, site, crew):
    today = day_of(utcnow())
    truth = await generate(crew, weeks=3, today=today)
    await aggregate(site, today)
    await client.login_as(crew.coordinator)
    answer = await client.api("GET", f"/api/v1/communities/{crew.slug}/insights/weekly?weeks=3")
    assert answer.status_code == 200
    items = answer.json()["items"]
    assert answer.json()["next"] is None and len(items) == 3
    for item in items:
        start = date.fromisoformat(item["start"])
        assert item["posts"] == truth.posts.get(start, 0)
        assert item["replies"] == truth.replies.get(start, 0)
        assert item["active"] == len(truth.active.get(start, set()))
        assert item["meetup_attendance"] is None
        assert set(item) >= {"members", "joined", "departed", "wiki_edits", "contributions", "answered_share",
                             "median_answer_minutes", "pending", "by_kind", "extra", "end"}
    bad = await client.api("GET", f"/api/v1/communities/{crew.slug}/insights/weekly?weeks=500")
    assert bad.status_code == 422


async def test_thanking_a_member_notifies_them_once_a_week(client, site, crew):
    await client.login_as(crew.coordinator)
    member = crew.members[3]
    sent = await client.post_form(f"/c/{crew.slug}/insights/thanks", {"username": member.username})
    assert sent.status_code == 303
    note = await Notification.get(kind="insights.thanks", member_id=member.id)
    assert "Coco Coordinatrice thanks you" in note.title
    again = await client.post_form(f"/c/{crew.slug}/insights/thanks", {"username": member.username})
    assert again.status_code == 409
    assert (await client.post_form(f"/c/{crew.slug}/insights/thanks", {"username": "nobody"})).status_code == 404
    assert (await client.post_form(f"/c/{crew.slug}/insights/thanks",
                                   {"username": crew.outsider.username})).status_code == 404
    await client.login_as(crew.members[0])
    assert (await client.post_form(f"/c/{crew.slug}/insights/thanks",
                                   {"username": member.username})).status_code == 403


async def test_the_insights_page_reads_a_fixed_number_of_rows(client, site, crew):
    today = day_of(utcnow())
    await aggregate(site, today)
    await client.login_as(crew.coordinator)
    url = f"/c/{crew.slug}/insights"
    await client.get(url)
    with count_queries() as empty:
        assert (await client.get(url)).status_code == 200
    await generate(crew, weeks=8, today=today, seed=3)
    await aggregate(site, today)
    with count_queries() as full:
        assert (await client.get(url)).status_code == 200
    assert len(full) == len(empty), full.statements


async def test_admins_see_every_community_and_which_need_help(client, site, crew, factory):
    today = day_of(utcnow())
    admin = await factory.member("root", admin=True)
    ending = await factory.community("fin-proche", coordinator=crew.coordinator, ends_on=today + timedelta(days=10))
    secret = await factory.community("discret", visibility="secret", coordinator=crew.coordinator)
    # Busy four weeks ago, nothing since: activity fell.
    for i in range(6):
        topic = await Content.create(kind="forum.topic", community=crew.community, author=crew.members[i],
                                     title="Avant")
        await record_content(topic, True, at=local(today - timedelta(days=35), 10 + i))
    await aggregate(site, today)
    await client.login_as(crew.coordinator)
    assert (await client.get("/admin/insights")).status_code == 403
    await client.login_as(admin)
    page = await client.get("/admin/insights")
    assert page.status_code == 200
    html = page.text
    for community in (crew.community, ending, secret):
        assert f'href="/c/{community.slug}/insights"' in html
    assert "ends within a month" in html and "activity halved" in html
    assert '<svg class="sparkline" role="img"' in html
    listing = (await client.api("GET", "/api/v1/insights/communities")).json()["items"]
    by_slug = {item["slug"]: item for item in listing}
    assert by_slug["atelier"]["needs_attention"] == ["falling"]
    assert by_slug["atelier"]["trend"] == -1.0 and by_slug["atelier"]["contributions_previous_4w"] == 6
    assert "ending" in by_slug["fin-proche"]["needs_attention"]
    assert listing[0]["needs_attention"]  # communities needing help come first
    only = await client.get("/admin/insights?show=attention&sort=name")
    assert "discret" not in only.text
    with count_queries() as few:
        await client.get("/admin/insights")
    for i in range(10):
        await factory.community(f"autre-{i}", coordinator=crew.coordinator)
    with count_queries() as many:
        await client.get("/admin/insights")
    assert len(many) == len(few)


async def test_the_insights_page_speaks_french(client, site, crew, factory):
    french = await factory.member("francoise", locale="fr")
    await factory.add_member(crew.community, french, "coordinator")
    await aggregate(site, day_of(utcnow()))
    await client.login_as(french)
    page = await client.get(f"/c/{crew.slug}/insights")
    assert "<h3>Membres et membres actifs</h3>" in page.text
    assert "Les membres les plus actifs" in page.text and "Indicateurs" in page.text
