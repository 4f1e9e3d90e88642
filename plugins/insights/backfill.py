"""``tisserand insights backfill``: rebuild the events of content and memberships written before
insights was switched on, from the core's tables, so the charts do not start empty.

What the core keeps is enough for new items, replies, topics answered and members who joined
(and are still there). Edits before that day, departures and reading are not kept anywhere:
those charts start on the day insights was switched on.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tisserand.db import fetch_all
from tisserand.jobs import defer
from tisserand.plugins.insights.models import Event, Thread
from tisserand.plugins.insights.record import as_datetime, day_of, settings

if TYPE_CHECKING:
    from tisserand.models import Community
    from tisserand.site import Site

BATCH = 1000
TASK = "insights.backfill"


def backfill_lock(community_id: int) -> str:
    """The lock shared by the backfills of one community (queued once, never two at a time)."""
    return f"insights-backfill:{community_id}"


async def queue_backfill(site: Site, community: Community) -> int | None:
    """Defer the ``insights.backfill`` task of ``community`` to a worker; its job id, or None
    when one is already waiting in the queue."""
    lock = backfill_lock(community.id)
    return await defer(site, TASK, lock=lock, queueing_lock=lock, community_id=community.id)


async def queue_backfills(site: Site, communities: list[Community]) -> int:
    """``tisserand insights backfill --queue``: one task per community; how many were queued
    (a community whose backfill already waits is not queued twice)."""
    queued = 0
    for community in communities:
        if await queue_backfill(site, community) is not None:
            queued += 1
    return queued


async def backfill_task(site: Site, community_id: int) -> None:
    """The task: backfill one community, if it still exists and still has insights switched on.
    Idempotent like :func:`backfill` (a second run adds nothing)."""
    from tisserand.models import Community

    community = await Community.get_or_none(id=community_id)
    if community is None or "insights" not in site.plugins.community_plugins(community):
        return
    await backfill(site, [community])


async def needs_backfill(community: Community) -> bool:
    """True while ``community`` has content older than anything insights recorded there (it was
    written before insights was switched on, and no backfill has run since)."""
    from tisserand.models import Content

    first = await Event.filter(community_id=community.id).order_by("happened_at").first()
    older = Content.filter(community_id=community.id).exclude(status="pending")
    if first is not None:
        older = older.filter(created_at__lt=first.happened_at)
    return await older.exists()


async def backfill(site: Site, communities: list[Community]) -> dict[str, int]:
    """Add the missing events of ``communities`` and compute their daily rows again from the
    start; returns what was added. Safe to run twice: what is recorded already is skipped."""
    from tisserand.plugins.insights.aggregate import aggregate
    from tisserand.plugins.insights.models import Daily

    answerable = set(settings().answerable_kinds)
    added = {"items": 0, "members": 0, "topics": 0}
    for community in communities:
        known = {row["content_id"] for row in await fetch_all(
            "SELECT content_id FROM insights_event WHERE community_id = ? AND content_id IS NOT NULL "
            "AND action IN ('new', 'reply')", [community.id])}
        rows = await fetch_all("SELECT id, kind, author_id, parent_id, status, created_at FROM content "
                               "WHERE community_id = ? ORDER BY id", [community.id])
        parents = {row["id"]: row["parent_id"] for row in rows}
        events: list[Event] = []
        threads: list[Thread] = []
        for row in rows:
            if row["id"] in known or row["status"] == "pending":
                continue
            at = as_datetime(row["created_at"])
            if at is None:
                continue
            root = row["id"]
            while parents.get(root) is not None:
                root = parents[root]
            counted = row["status"] == "published"
            events.append(Event(community_id=community.id, member_id=row["author_id"], kind=row["kind"][:40],
                                action="new" if row["parent_id"] is None else "reply", content_id=row["id"],
                                root_id=root, counted=counted, happened_at=at, day=day_of(at)))
            if row["parent_id"] is None and row["kind"] in answerable:
                threads.append(Thread(community_id=community.id, content_id=row["id"], author_id=row["author_id"],
                                      created_at=at, day=day_of(at), counted=counted))
        for start in range(0, len(events), BATCH):
            await Event.bulk_create(events[start:start + BATCH])
        existing = set(await Thread.filter(content_id__in=[t.content_id for t in threads])
                       .values_list("content_id", flat=True)) if threads else set()
        threads = [t for t in threads if t.content_id not in existing]
        await Thread.bulk_create(threads)
        await _first_answers(threads)
        members = await _members(community)
        added["items"] += len(events)
        added["topics"] += len(threads)
        added["members"] += members
        # Daily rows are derived: computed again from the first event on.
        await Daily.filter(community_id=community.id).delete()
    added["days"] = await aggregate(site)
    return added


async def _first_answers(threads: list[Thread]) -> None:
    from tisserand.plugins.insights.record import refresh_thread

    for thread in threads:
        await refresh_thread(thread.content_id)


async def _members(community: Community) -> int:
    joined = {row["member_id"] for row in await fetch_all(
        "SELECT member_id FROM insights_event WHERE community_id = ? AND action = 'join'", [community.id])}
    rows = await fetch_all("SELECT member_id, created_at FROM membership WHERE community_id = ? AND state = 'active'",
                           [community.id])
    events = []
    for row in rows:
        at = as_datetime(row["created_at"])
        if row["member_id"] in joined or at is None:
            continue
        events.append(Event(community_id=community.id, member_id=row["member_id"], kind="membership", action="join",
                            happened_at=at, day=day_of(at)))
    await Event.bulk_create(events)
    return len(events)

