"""The history rebuild runs on workers: ``insights.backfill`` is queued when a coordinator first
opens the insights of a community that just switched them on, and by ``tisserand insights
backfill --queue``; running it twice gives the same rows."""

from __future__ import annotations

from tisserand.models import Community, QueuedJob
from tisserand.plugins.insights.backfill import queue_backfills
from tisserand.plugins.insights.metrics import weekly
from tisserand.plugins.insights.models import Daily, Event, Thread


async def _old_community(factory, slug: str = "ancienne"):
    """A community with posts written before insights was switched on, then switched on."""
    coordinator, helper = await factory.member(f"coco-{slug}"), await factory.member(f"aide-{slug}")
    community = await factory.community(slug, plugins=[], coordinator=coordinator, members={helper: "member"})
    topic = await factory.content(community, coordinator, kind="forum.topic", title="Avant les mesures")
    await factory.content(community, helper, kind="forum.post", parent=topic, body="Réponse")
    assert not await Event.filter(community_id=community.id).exists()
    await Community.filter(id=community.id).update(plugins=["insights"])
    return await Community.get(id=community.id), coordinator


async def _rows(community):
    events = sorted(await Event.filter(community_id=community.id).values_list("action", "content_id", "member_id"),
                    key=repr)
    # What the charts show (the aggregation may add an empty day before the first event).
    days = [(w.posts, w.replies, w.joined, w.topics, w.answered) for w in await weekly(community.id, weeks=2)]
    assert await Daily.filter(community_id=community.id).exists()
    return events, days, await Thread.filter(community_id=community.id).count()


async def test_the_first_look_at_the_insights_queues_the_history_once(site, client, factory):
    community, coordinator = await _old_community(factory)
    await client.login_as(coordinator)
    page = await client.get("/c/ancienne/insights")
    assert page.status_code == 200
    jobs = await QueuedJob.filter(task="insights.backfill").values_list("status", "args")
    assert jobs == [("succeeded", {"community_id": community.id})]  # the test site runs jobs at once
    week = (await weekly(community.id, weeks=1))[0]
    assert (week.posts, week.replies, week.joined) == (1, 1, 2)
    again = await client.get("/c/ancienne/insights")
    assert again.status_code == 200
    assert await QueuedJob.filter(task="insights.backfill").count() == 1  # the history is there now


async def test_the_hourly_rows_do_not_hide_a_missing_history(site, client, factory):
    from tisserand.plugins.insights.aggregate import aggregate

    community, coordinator = await _old_community(factory, "oubliee")
    await aggregate(site)  # the hourly job ran before anyone looked: today's row exists, empty
    assert await Daily.filter(community_id=community.id).exists()
    await client.login_as(coordinator)
    assert (await client.get("/c/oubliee/insights")).status_code == 200
    assert await QueuedJob.filter(task="insights.backfill", status="succeeded").count() == 1
    week = (await weekly(community.id, weeks=1))[0]
    assert (week.posts, week.replies) == (1, 1)


async def test_queue_defers_one_task_per_community_once_and_a_worker_runs_them(site, factory):
    first, _ = await _old_community(factory, "premiere")
    second, _ = await _old_community(factory, "seconde")
    site.jobs.eager = False
    try:
        assert await queue_backfills(site, [first, second]) == 2
        assert await queue_backfills(site, [first, second]) == 0  # already waiting: not queued twice
        assert not await Event.filter(community_id=first.id).exists()  # nothing done in this process
        assert await site.jobs.run_pending() == 2
    finally:
        site.jobs.eager = True
    done = await _rows(first)
    assert len(done[0]) == 4 and done[2] == 1 and done[1][-1] == (1, 1, 2, 1, 1)
    assert await QueuedJob.filter(task="insights.backfill", status="succeeded").count() == 2
    # Idempotent: a second run (a retry, a second --queue) gives the same rows.
    await queue_backfills(site, [first])
    assert await _rows(first) == done


async def test_the_task_skips_a_community_gone_or_without_insights(site, factory):
    from tisserand.plugins.insights.backfill import backfill_task

    community, _ = await _old_community(factory, "eteinte")
    await Community.filter(id=community.id).update(plugins=[])
    await backfill_task(site, community.id)
    await backfill_task(site, 999999)
    assert not await Event.filter(community_id=community.id).exists()
