"""The ``insights.aggregate`` job: turn raw visits and events into one row per community and day.

Each run computes, for every community with insights switched on, the days since its last row
(yesterday included, for late events), the past days marked dirty, and, the first time, every
day since its first recorded event (at most :data:`MAX_BACKFILL` days). A run costs a fixed
number of grouped queries per computed day, whatever the number of communities.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from tortoise.transactions import in_transaction

from tisserand.db import fetch_all
from tisserand.models import Community
from tisserand.plugin_manager import resolve_all
from tisserand.plugins.insights.models import Daily, Dirty
from tisserand.plugins.insights.record import as_date, as_datetime, day_of, settings, utcnow, zone

if TYPE_CHECKING:
    from tisserand.site import Site

MAX_BACKFILL = 400
#: Up to this many days to compute, rolling counts are asked to the database day by day;
#: beyond (a first run), one query brings every member-day and Python counts.
SQL_WINDOWS_UP_TO = 3
ACTIVE_SQL = (
    "SELECT community_id, {group} COUNT(DISTINCT member_id) AS n FROM ("
    "SELECT community_id, member_id, day FROM insights_visit WHERE day BETWEEN ? AND ? "
    "UNION SELECT community_id, member_id, day FROM insights_event WHERE day BETWEEN ? AND ? AND counted = ? "
    "AND action IN ('new', 'reply', 'edit') AND member_id IS NOT NULL) u GROUP BY community_id{by}")


def start_of(day: date) -> datetime:
    """Midnight at the start of ``day`` in the site's zone, in UTC."""
    return datetime.combine(day, time(0), tzinfo=zone()).astimezone(UTC)


def monday(day: date) -> date:
    """The Monday of ``day``'s week."""
    return day - timedelta(days=day.weekday())


async def _active(first: date, last: date, *, per_day: bool = False) -> dict[Any, int]:
    """Members who read or contributed between two days (both included), per community (and
    per day)."""
    query = ACTIVE_SQL.format(group="day," if per_day else "", by=", day" if per_day else "")
    rows = await fetch_all(query, [first, last, first, last, True])
    if per_day:
        return {(row["community_id"], as_date(row["day"])): int(row["n"]) for row in rows}
    return {row["community_id"]: int(row["n"]) for row in rows}


async def _rolling_in_sql(days: list[date]) -> dict[date, tuple[dict[Any, int], dict[Any, int], dict[Any, int]]]:
    """Members active since Monday, over 7 and over 28 days: three grouped queries a day."""
    rolling = {}
    for day in days:
        rolling[day] = (await _active(monday(day), day), await _active(day - timedelta(days=6), day),
                        await _active(day - timedelta(days=27), day))
    return rolling


async def _rolling_in_memory(days: list[date]) -> dict[date, tuple[dict[Any, int], dict[Any, int], dict[Any, int]]]:
    """The same as :func:`_rolling_in_sql` from one query, for long ranges (the first run)."""
    first = min(min(days) - timedelta(days=27), monday(min(days)))
    query = ACTIVE_SQL.replace("SELECT community_id, {group} COUNT(DISTINCT member_id) AS n FROM (",
                               "SELECT DISTINCT community_id, member_id, day FROM (").replace(
        ") u GROUP BY community_id{by}", ") u")
    seen: dict[date, dict[int, set[int]]] = defaultdict(lambda: defaultdict(set))
    for row in await fetch_all(query, [first, max(days), first, max(days), True]):
        seen[as_date(row["day"])][row["community_id"]].add(row["member_id"])

    def window(start: date, end: date) -> dict[int, int]:
        members: dict[int, set[int]] = defaultdict(set)
        current = start
        while current <= end:
            for community_id, people in seen.get(current, {}).items():
                members[community_id] |= people
            current += timedelta(days=1)
        return {community_id: len(people) for community_id, people in members.items()}

    return {day: (window(monday(day), day), window(day - timedelta(days=6), day),
                  window(day - timedelta(days=27), day)) for day in days}


def _plan(communities: list[Community], last: dict[int, date], first: dict[int, date],
          dirty: list[dict[str, Any]], today: date) -> dict[int, set[date]]:
    floor = today - timedelta(days=MAX_BACKFILL)
    plan: dict[int, set[date]] = {}
    for community in communities:
        if community.id in last:
            start = min(last[community.id], today) - timedelta(days=1)
        else:
            start = min(first.get(community.id, today), today)
        start = max(start, floor)
        days = {start + timedelta(days=i) for i in range((today - start).days + 1)}
        days |= {as_date(row["day"]) for row in dirty if row["community_id"] == community.id}
        plan[community.id] = {day for day in days if floor <= day <= today}
    return plan


async def _extra(relay: Any, community: Community, day: date) -> dict[str, float]:
    merged: dict[str, float] = {}
    answers = await resolve_all(relay.insights_daily_metrics(community=community, day=day, start=start_of(day),
                                                             end=start_of(day + timedelta(days=1))))
    for answer in answers:
        if isinstance(answer, dict):
            for name, value in answer.items():
                if isinstance(value, int | float) and not isinstance(value, bool):
                    merged[str(name)[:60]] = merged.get(str(name)[:60], 0) + value
    return merged


async def aggregate(site: Site, today: date | None = None) -> int:
    """Compute the daily rows that are due; returns how many rows were written."""
    today = today or day_of(utcnow())
    communities = [c for c in await Community.all() if "insights" in site.plugins.community_plugins(c)]
    if not communities:
        return 0
    last = {row["community_id"]: as_date(row["d"]) for row in await fetch_all(
        "SELECT community_id, MAX(day) AS d FROM insights_daily GROUP BY community_id")}
    first: dict[int, date] = {}
    for table in ("insights_event", "insights_visit"):
        for row in await fetch_all(f"SELECT community_id, MIN(day) AS d FROM {table} GROUP BY community_id"):
            day = as_date(row["d"])
            first[row["community_id"]] = min(day, first.get(row["community_id"], day))
    dirty = await fetch_all("SELECT id, community_id, day FROM insights_dirty")
    plan = _plan(communities, last, first, dirty, today)
    days = sorted(set().union(*plan.values()))
    if not days:
        return 0
    low = days[0]
    facts = await _facts(low, today)
    rolling = await (_rolling_in_memory(days) if len(days) > SQL_WINDOWS_UP_TO else _rolling_in_sql(days))
    cfg = settings()
    now = utcnow()
    rows: list[Daily] = []
    by_day: dict[date, list[int]] = defaultdict(list)
    for community in communities:
        relay = site.plugins.for_community(community)
        for day in sorted(plan[community.id]):
            daily = _row(community, day, today, facts, rolling[day], cfg.edit_kinds)
            daily.extra = await _extra(relay, community, day)
            daily.computed_at = now
            rows.append(daily)
            by_day[day].append(community.id)
    # One transaction: the old rows of a day go, the new ones come, readers never see a gap.
    async with in_transaction():
        for day, community_ids in by_day.items():
            await Daily.filter(day=day, community_id__in=community_ids).delete()
        for start in range(0, len(rows), 500):
            await Daily.bulk_create(rows[start:start + 500])
        if dirty:
            await Dirty.filter(id__in=[row["id"] for row in dirty]).delete()
    return len(rows)


async def _facts(low: date, today: date) -> dict[str, Any]:
    """Everything counted per community and day between ``low`` and ``today``, in a few queries."""
    events = await fetch_all(
        "SELECT community_id, day, action, kind, COUNT(*) AS n FROM insights_event WHERE day BETWEEN ? AND ? "
        "AND counted = ? GROUP BY community_id, day, action, kind", [low, today, True])
    contributors = await fetch_all(
        "SELECT community_id, day, COUNT(DISTINCT member_id) AS n FROM insights_event WHERE day BETWEEN ? AND ? "
        "AND counted = ? AND action IN ('new', 'reply', 'edit') GROUP BY community_id, day", [low, today, True])
    readers = await fetch_all(
        "SELECT community_id, day, COUNT(*) AS n FROM insights_visit WHERE day BETWEEN ? AND ? "
        "GROUP BY community_id, day", [low, today])
    threads = await fetch_all(
        "SELECT community_id, day, created_at, first_reply_at FROM insights_thread WHERE day BETWEEN ? AND ? "
        "AND counted = ?", [low, today, True])
    reviews = await fetch_all(
        "SELECT community_id, held_at, resolved_at FROM insights_review WHERE held_at < ? "
        "AND (resolved_at IS NULL OR resolved_at >= ?)", [start_of(today + timedelta(days=1)), start_of(low)])
    members = {c["id"]: int(c["member_count"]) for c in await fetch_all("SELECT id, member_count FROM community")}
    by_day: dict[tuple[int, date], list[dict[str, Any]]] = defaultdict(list)
    moves: dict[int, list[tuple[date, int]]] = defaultdict(list)
    for row in events:
        key = (row["community_id"], as_date(row["day"]))
        by_day[key].append(row)
        if row["action"] in ("join", "leave"):
            moves[row["community_id"]].append((key[1], int(row["n"]) * (1 if row["action"] == "join" else -1)))
    topics: dict[tuple[int, date], list[float | None]] = defaultdict(list)
    for row in threads:
        opened, answered = as_datetime(row["created_at"]), as_datetime(row["first_reply_at"])
        minutes = (answered - opened).total_seconds() / 60 if opened and answered else None
        topics[(row["community_id"], as_date(row["day"]))].append(minutes)
    return {
        "events": by_day, "moves": moves, "members": members, "topics": topics,
        "contributors": {(r["community_id"], as_date(r["day"])): int(r["n"]) for r in contributors},
        "readers": {(r["community_id"], as_date(r["day"])): int(r["n"]) for r in readers},
        "active": await _active(low, today, per_day=True),
        "reviews": [(r["community_id"], as_datetime(r["held_at"]), as_datetime(r["resolved_at"])) for r in reviews],
    }


def _row(community: Community, day: date, today: date, facts: dict[str, Any],
         rolling: tuple[dict[Any, int], dict[Any, int], dict[Any, int]], edit_kinds: list[str]) -> Daily:
    key = (community.id, day)
    row = Daily(community_id=community.id, day=day)
    by_kind: dict[str, dict[str, int]] = {}
    posts = replies = wiki = edits = joined = departed = 0
    for event in facts["events"].get(key, []):
        action, kind, count = event["action"], event["kind"], int(event["n"])
        if action == "join":
            joined += count
            continue
        if action == "leave":
            departed += count
            continue
        by_kind.setdefault(kind, {}).setdefault(action, 0)
        by_kind[kind][action] += count
        if kind in edit_kinds:
            if action in ("new", "edit"):
                wiki += count
            elif action == "reply":
                replies += count
        elif action == "new":
            posts += count
        elif action == "reply":
            replies += count
        else:
            edits += count
    later = sum(change for moved, change in facts["moves"].get(community.id, []) if day < moved <= today)
    row.members = max(0, facts["members"].get(community.id, 0) - later)
    row.joined, row.departed = joined, departed
    row.posts, row.replies, row.wiki_edits, row.edits = posts, replies, wiki, edits
    row.by_kind = by_kind
    row.readers = facts["readers"].get(key, 0)
    row.contributors = facts["contributors"].get(key, 0)
    row.active = facts["active"].get(key, 0)
    week, seven, four = rolling
    row.active_week = week.get(community.id, 0)
    row.active_7d = seven.get(community.id, 0)
    row.active_28d = four.get(community.id, 0)
    opened = facts["topics"].get(key, [])
    row.topics = len(opened)
    minutes = [round(m) for m in opened if m is not None]
    row.answered = len(minutes)
    row.answer_minutes = minutes
    end = start_of(day + timedelta(days=1))
    row.pending = sum(1 for cid, held, resolved in facts["reviews"]
                      if cid == community.id and held is not None and held < end and (resolved is None or resolved >= end))
    return row


def median(values: list[float]) -> float | None:
    """The median, or None for no value."""
    return statistics.median(values) if values else None


@dataclass
class HourlyResult:
    """What one pass of the hourly work did."""

    rows: int
    alerts: list[Any]


async def hourly(site: Site, today: date | None = None) -> HourlyResult:
    """The hourly work: compute the due daily rows, then open (and tell coordinators of) the
    quiet-community alerts and close those of communities that came back. The scheduled job
    and ``tisserand insights aggregate`` both run exactly this."""
    from tisserand.plugins.insights.quiet import check_quiet

    rows = await aggregate(site, today)
    alerts = await check_quiet(site, today)
    return HourlyResult(rows, alerts)
