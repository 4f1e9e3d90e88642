"""Metrics equal a hand count over generated activity, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date, timedelta

from tests.plugins.insights.conftest import generate, local, monday
from tisserand.models import Content
from tisserand.plugins.insights.aggregate import aggregate
from tisserand.plugins.insights.metrics import contributors, weekly
from tisserand.plugins.insights.record import day_of, record_content, utcnow


async def test_weekly_metrics_equal_a_hand_count(site, crew):
    today = day_of(utcnow())
    truth = await generate(crew, weeks=6, today=today)
    written = await aggregate(site, today)
    assert written >= 35
    series = await weekly(crew.community.id, weeks=6, today=today)
    assert [w.start for w in series] == [monday(today) - timedelta(weeks=5 - i) for i in range(6)]
    for week in series:
        w = week.start
        assert week.active == len(truth.active.get(w, set())), w
        assert week.posts == truth.posts.get(w, 0), w
        assert week.replies == truth.replies.get(w, 0), w
        assert week.wiki_edits == truth.wiki.get(w, 0), w
        assert week.joined == truth.joined.get(w, 0), w
        assert week.departed == truth.departed.get(w, 0), w
        assert week.topics == truth.topics.get(w, 0), w
        assert week.answered == truth.answered.get(w, 0), w
        assert week.median_answer_minutes == truth.median(w), w
        assert week.contributions == week.posts + week.replies + week.wiki_edits
        end = min(w + timedelta(days=6), today)
        assert week.members == truth.members_at(end, crew.community.member_count, today), w
    assert sum(w.posts for w in series) > 5 and sum(w.answered for w in series) > 2
    # Running the job again changes nothing.
    await aggregate(site, today)
    again = await weekly(crew.community.id, weeks=6, today=today)
    assert [w.as_json() for w in again] == [w.as_json() for w in series]


async def test_a_hidden_post_leaves_the_counts_of_its_day(site, crew):
    from tisserand.content import set_status

    today = day_of(utcnow())
    past = today - timedelta(days=10)
    topic = await Content.create(kind="forum.topic", community=crew.community, author=crew.members[0], title="T")
    await record_content(topic, True, at=local(past, 10))
    reply = await Content.create(kind="forum.post", community=crew.community, author=crew.members[1], parent=topic)
    await record_content(reply, True, at=local(past, 12))
    await aggregate(site, today)

    def week_of(series):
        return next(w for w in series if w.start == monday(past))

    before = week_of(await weekly(crew.community.id, 4, today))
    assert (before.posts, before.replies, before.answered, before.median_answer_minutes) == (1, 1, 1, 120)
    # Hidden ten days later: the past day is computed again, and the topic counts as unanswered.
    await set_status(reply, "hidden", actor=crew.coordinator, reason="spam")
    await aggregate(site, today)
    after = week_of(await weekly(crew.community.id, 4, today))
    assert (after.posts, after.replies, after.answered, after.median_answer_minutes) == (1, 0, 0, None)
    await set_status(reply, "published", actor=crew.coordinator)
    await aggregate(site, today)
    assert week_of(await weekly(crew.community.id, 4, today)).answered == 1


async def test_most_active_contributors_of_the_period(site, crew):
    today = day_of(utcnow())
    author, helper = crew.members[2], crew.members[3]
    for i in range(3):
        topic = await Content.create(kind="forum.topic", community=crew.community, author=author, title=f"T{i}")
        await record_content(topic, True, at=local(today - timedelta(days=2), 9 + i))
        reply = await Content.create(kind="forum.post", community=crew.community, author=helper, parent=topic)
        await record_content(reply, True, at=local(today - timedelta(days=2), 12 + i))
    page = await Content.create(kind="wiki.page", community=crew.community, author=helper, title="Guide")
    await record_content(page, True, at=local(today - timedelta(days=1), 9))
    old = await Content.create(kind="forum.topic", community=crew.community, author=crew.members[4], title="Vieux")
    await record_content(old, True, at=local(today - timedelta(days=60), 9))
    people = await contributors(crew.community.id, days=30, today=today)
    assert [(p["username"], p["contributions"], p["posts"], p["replies"], p["wiki_edits"]) for p in people] == [
        (helper.username, 4, 0, 3, 1), (author.username, 3, 3, 0, 0)]
    assert crew.members[4].username in [p["username"] for p in await contributors(crew.community.id, days=90,
                                                                                     today=today)]


async def test_a_day_is_the_local_day_of_the_site(site, crew):
    from tisserand.plugins.insights.models import Visit
    from tisserand.plugins.insights.record import record_visit

    sunday = monday(day_of(utcnow())) - timedelta(days=1)
    # 23:30 on Sunday in Paris is already Sunday 21:30 or 22:30 UTC: it belongs to Sunday's week.
    await record_visit(crew.community.id, crew.members[0].id, at=local(sunday, 23, 30))
    assert (await Visit.get(member_id=crew.members[0].id)).day == sunday
    assert isinstance(sunday, date)
